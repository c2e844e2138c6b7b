import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import { type FastifyReply } from 'fastify';
import { toErrorBody } from './error-body.util';

/** Every HTTP error as JSON { statusCode, error, message, details? }; 5xx are logged with their stack. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    // Registered with useGlobalFilters, which only covers HTTP; anything else is not ours to shape.
    if (host.getType() !== 'http') throw exception;
    const body = toErrorBody(exception);
    if (body.statusCode >= 500) this.logger.error({ msg: 'unhandled error', err: exception });
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    void reply.status(body.statusCode).header('content-type', 'application/json; charset=utf-8').send(body);
  }
}
