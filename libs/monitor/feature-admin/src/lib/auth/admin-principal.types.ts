/** Who is calling the admin API, as recorded in the audit log. */
export interface AdminPrincipal {
  /** Stable name for the audit log, e.g. "token:3f2a9c1d" or, later, "user:<id>". */
  readonly actor: string;
  readonly roles: readonly string[];
}

/**
 * One way to recognise a bearer credential. The static ADMIN_TOKEN is the first; a JWT
 * authenticator (role claim) plugs in beside it once accounts exist. Returns null when the
 * credential is not one of its own or is wrong.
 */
export interface AdminAuthenticator {
  authenticate(bearer: string): Promise<AdminPrincipal | null> | AdminPrincipal | null;
}

export const ADMIN_AUTHENTICATORS = Symbol('ADMIN_AUTHENTICATORS');
export const ADMIN_ROLE = 'admin';
