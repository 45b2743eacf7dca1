/**
 * The caller of an authenticated request, as `@CurrentUser()` gives it. The
 * raw token is kept so a service can call another on the caller's behalf
 * (orders asks items for prices with it).
 */
export interface AuthenticatedUser {
  /** The user id (the token's `sub`). */
  readonly id: string;
  readonly scopes: readonly string[];
  /** The bearer access token as received; never log it. */
  readonly token: string;
}

/** Whether the user was granted a scope, for checks that depend on the data (self or `users:write`). */
export function hasScope(user: AuthenticatedUser | undefined, scope: string): boolean {
  return user?.scopes.includes(scope) ?? false;
}
