import { type ExecutionContext, ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { AdminGuard } from './admin.guard';
import { type AdminAuthenticator, type AdminPrincipal } from './admin-principal.types';
import { AdminTokenAuthenticator } from './admin-token.authenticator';

function contextWith(headers: Record<string, string>): { context: ExecutionContext; request: { headers: Record<string, string>; admin?: AdminPrincipal } } {
  const request: { headers: Record<string, string>; admin?: AdminPrincipal } = { headers };
  const context = { switchToHttp: () => ({ getRequest: () => request }) } as unknown as ExecutionContext;
  return { context, request };
}

const TOKEN = 'a-very-secret-admin-token';

describe('AdminGuard', () => {
  const guard = new AdminGuard([new AdminTokenAuthenticator(TOKEN)]);

  it('401 without a bearer token', async () => {
    await expect(guard.canActivate(contextWith({}).context)).rejects.toThrow(UnauthorizedException);
    await expect(guard.canActivate(contextWith({ authorization: `Basic ${TOKEN}` }).context)).rejects.toThrow(UnauthorizedException);
  });

  it('403 with a wrong token', async () => {
    await expect(guard.canActivate(contextWith({ authorization: 'Bearer wrong-token-entirely' }).context)).rejects.toThrow(ForbiddenException);
  });

  it('admits the admin token and names the actor without revealing the token', async () => {
    const { context, request } = contextWith({ authorization: `Bearer ${TOKEN}` });
    await expect(guard.canActivate(context)).resolves.toBe(true);
    expect(request.admin?.actor).toMatch(/^token:[0-9a-f]{8}$/);
    expect(request.admin?.actor).not.toContain(TOKEN);
  });

  it('403 for a recognised caller without the admin role (a future JWT user)', async () => {
    const user: AdminAuthenticator = { authenticate: (bearer) => (bearer === 'user-jwt' ? { actor: 'user:1', roles: ['user'] } : null) };
    const withUsers = new AdminGuard([user, new AdminTokenAuthenticator(TOKEN)]);
    await expect(withUsers.canActivate(contextWith({ authorization: 'Bearer user-jwt' }).context)).rejects.toThrow(ForbiddenException);
  });

  it('refuses everyone when no ADMIN_TOKEN is configured', async () => {
    const closed = new AdminGuard([new AdminTokenAuthenticator(undefined)]);
    await expect(closed.canActivate(contextWith({ authorization: `Bearer ${TOKEN}` }).context)).rejects.toThrow(ForbiddenException);
  });
});
