import { createHash, timingSafeEqual } from 'node:crypto';
import { type AdminAuthenticator, type AdminPrincipal, ADMIN_ROLE } from './admin-principal.types';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** The shared ADMIN_TOKEN: compared in constant time (as digests, so lengths leak nothing either). */
export class AdminTokenAuthenticator implements AdminAuthenticator {
  private readonly expected: Buffer | null;
  private readonly actor: string;

  constructor(token: string | undefined) {
    this.expected = token ? digest(token) : null;
    this.actor = token ? `token:${digest(token).toString('hex').slice(0, 8)}` : 'token:none';
  }

  authenticate(bearer: string): AdminPrincipal | null {
    if (!this.expected) return null;
    return timingSafeEqual(digest(bearer), this.expected) ? { actor: this.actor, roles: [ADMIN_ROLE] } : null;
  }
}
