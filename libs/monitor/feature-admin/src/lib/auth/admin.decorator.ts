import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { type AdminPrincipal } from './admin-principal.types';

/** The authenticated admin (set by AdminGuard). */
export const Admin = createParamDecorator((_data: unknown, context: ExecutionContext): AdminPrincipal => {
  const request = context.switchToHttp().getRequest<{ admin?: AdminPrincipal }>();
  if (!request.admin) throw new Error('@Admin() used on a route without AdminGuard');
  return request.admin;
});
