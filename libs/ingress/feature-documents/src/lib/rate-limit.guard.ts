import { type CanActivate, type ExecutionContext, HttpException, HttpStatus, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { type RateLimitClass, RateLimiterService } from './rate-limiter.service';

const RATE_LIMIT_CLASS = 'ingress:rate-limit-class';

/** Marks a route as counted against a public rate limit class. */
export const RateLimited = (limitClass: RateLimitClass): MethodDecorator => SetMetadata(RATE_LIMIT_CLASS, limitClass);

/** 429 with Retry-After once an IP has used up its hourly budget for the route's class. */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limiter: RateLimiterService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const limitClass = this.reflector.get<RateLimitClass | undefined>(RATE_LIMIT_CLASS, context.getHandler());
    if (limitClass === undefined) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const decision = await this.limiter.take(limitClass, request.ip);
    if (decision.allowed) return true;
    void http.getResponse<FastifyReply>().header('retry-after', String(decision.retryAfterSeconds));
    throw new HttpException(
      `rate limit of ${this.limiter.limitOf(limitClass)} ${limitClass} requests per hour exceeded; retry in ${decision.retryAfterSeconds} s`,
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
