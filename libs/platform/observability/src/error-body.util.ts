import { HttpException, HttpStatus } from '@nestjs/common';

/** The JSON body of every error response. */
export interface ErrorBody {
  readonly statusCode: number;
  readonly error: string;
  readonly message: string;
  readonly details?: unknown;
}

/** Maps any thrown value to the error body; unknown errors become an opaque 500. */
export function toErrorBody(exception: unknown): ErrorBody {
  if (exception instanceof HttpException) return fromHttpException(exception);
  const status = statusOf(exception);
  if (status !== undefined && status >= 400 && status < 500) {
    // Fastify's own errors (malformed JSON, body too large, unsupported media type).
    return { statusCode: status, error: reasonPhrase(status), message: (exception as Error).message };
  }
  return { statusCode: 500, error: reasonPhrase(500), message: 'Internal server error' };
}

function fromHttpException(exception: HttpException): ErrorBody {
  const statusCode = exception.getStatus();
  const response = exception.getResponse();
  const error = reasonPhrase(statusCode);
  if (typeof response === 'string') return { statusCode, error, message: response };
  const fields = response as { message?: unknown; error?: unknown; details?: unknown };
  const message = Array.isArray(fields.message)
    ? fields.message.map(String).join('; ')
    : typeof fields.message === 'string'
      ? fields.message
      : exception.message;
  const body: ErrorBody = { statusCode, error: typeof fields.error === 'string' ? fields.error : error, message };
  return fields.details === undefined ? body : { ...body, details: fields.details };
}

function statusOf(exception: unknown): number | undefined {
  if (typeof exception !== 'object' || exception === null || !('statusCode' in exception)) return undefined;
  return typeof exception.statusCode === 'number' ? exception.statusCode : undefined;
}

function reasonPhrase(status: number): string {
  const name = HttpStatus[status];
  if (typeof name !== 'string') return 'Error';
  return name
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}
