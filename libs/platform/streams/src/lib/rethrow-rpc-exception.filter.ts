import { Catch, type RpcExceptionFilter } from '@nestjs/common';
import { type Observable, throwError } from 'rxjs';

/**
 * Nest's default RPC filter replaces unknown errors by "Internal server error". Bound globally
 * (`app.useGlobalFilters(new RethrowRpcExceptionFilter())`) this one passes the original error on,
 * so dead letters and error replies say what actually failed.
 */
@Catch()
export class RethrowRpcExceptionFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}
