import { HttpException } from '@nestjs/common';

export const INBOX_REJECTIONS = {
  unsupported_media_type: 415,
  invalid_json: 400,
  invalid_activity: 400,
  signature: 401,
  key_owner_mismatch: 403,
  foreign_activity_id: 403,
  blocked_domain: 403,
  queue_unavailable: 503,
} as const;
export type InboxRejectionCode = keyof typeof INBOX_REJECTIONS;

/**
 * Why an inbox POST was refused. Rendered by the HTTP error filter as
 * { statusCode, error, message, details: { code, reason? } }.
 */
export class InboxRejectionException extends HttpException {
  constructor(
    readonly code: InboxRejectionCode,
    message: string,
    readonly reason?: string,
  ) {
    super({ message, details: { code, ...(reason !== undefined && { reason }) } }, INBOX_REJECTIONS[code]);
  }
}
