import { type CanActivate, type ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { ADMIN_AUTHENTICATORS, ADMIN_ROLE, type AdminAuthenticator, type AdminPrincipal } from './admin-principal.types';

interface AdminRequest {
  headers: Record<string, string | string[] | undefined>;
  admin?: AdminPrincipal;
}

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]+)$/;

/**
 * No bearer credential: 401. A credential no authenticator accepts, or one without the admin
 * role: 403. On success the principal is on `request.admin` (read it with @Admin()).
 */
@Injectable()
export class AdminGuard implements CanActivate {
  constructor(@Inject(ADMIN_AUTHENTICATORS) private readonly authenticators: readonly AdminAuthenticator[]) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AdminRequest>();
    const header = request.headers['authorization'];
    const match = typeof header === 'string' ? BEARER.exec(header.trim()) : null;
    if (!match) throw new UnauthorizedException('A bearer token is required (Authorization: Bearer <token>)');
    for (const authenticator of this.authenticators) {
      const principal = await authenticator.authenticate(match[1]);
      if (!principal) continue;
      if (!principal.roles.includes(ADMIN_ROLE)) break;
      request.admin = principal;
      return true;
    }
    throw new ForbiddenException('This credential does not grant the admin role');
  }
}
