import { applyDecorators, Controller, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AdminGuard } from '../auth/admin.guard';

/** An admin API controller under /api/v1/admin/<path>: guarded, tagged and documented. */
export function AdminController(path: string, tag: string): ClassDecorator {
  return applyDecorators(
    Controller(`api/v1/admin/${path}`),
    UseGuards(AdminGuard),
    ApiTags(`admin: ${tag}`),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'No bearer token' }),
    ApiForbiddenResponse({ description: 'The token does not grant the admin role' }),
  );
}
