/** Every OAuth2 scope of the system (SPEC: Scopes). */
export const SCOPES = [
  'users:read',
  'users:write',
  'items:read',
  'items:write',
  'orders:read',
  'orders:write',
  'orders:all',
  'inventory:read',
  'inventory:write',
] as const;

export type Scope = (typeof SCOPES)[number];

/** What a newly registered customer may do. */
export const CUSTOMER_SCOPES: readonly Scope[] = ['items:read', 'orders:read', 'orders:write'];

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}
