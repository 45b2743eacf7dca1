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

/** What each scope allows, as the OAuth2 documents show it. */
export const SCOPE_DESCRIPTIONS: Record<Scope, string> = {
  'users:read': 'Read any user (admins)',
  'users:write': 'Change any user, their scopes and whether they are disabled (admins)',
  'items:read': 'Read the catalogue',
  'items:write': 'Create, change and delete items and their images',
  'orders:read': 'Read your own orders',
  'orders:write': 'Place and cancel your own orders',
  'orders:all': "Read and cancel anyone's orders (admins)",
  'inventory:read': 'Read stock levels',
  'inventory:write': 'Adjust stock',
};

/** What a newly registered customer may do. */
export const CUSTOMER_SCOPES: readonly Scope[] = ['items:read', 'orders:read', 'orders:write'];

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}
