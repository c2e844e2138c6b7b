import {
  BadGatewayException,
  GatewayTimeoutException,
  HttpException,
  Inject,
  Injectable,
  type OnApplicationShutdown,
  ServiceUnavailableException,
} from '@nestjs/common';
import { PublishFailedException, RedisStreamsClient, RequestTimeoutException } from '@peerfed/platform/streams';
import { type DeliveryAdminCommandPayload, type DeliveryAdminReply, DeliveryAdminV1 } from '@peerfed/shared/contracts';
import { ADMIN_SETTINGS, type AdminSettings } from '../admin-settings.types';

/**
 * Sends delivery.admin.v1 commands and waits for delivery's reply. Failures become HTTP errors
 * that name the problem: no reply in time 504, the command could not be written 503, delivery
 * answered with an error 502.
 */
@Injectable()
export class DeliveryAdminClient implements OnApplicationShutdown {
  private readonly client: RedisStreamsClient;
  private readonly timeoutMs: number;

  constructor(@Inject(ADMIN_SETTINGS) settings: AdminSettings) {
    this.timeoutMs = settings.deliveryAdmin.requestTimeoutMs;
    // Lazy: connects on the first command, so the monitor starts whether or not delivery runs.
    this.client = new RedisStreamsClient({
      ...settings.deliveryAdmin.connection,
      requestTimeoutMs: this.timeoutMs,
      publishTimeoutMs: Math.min(this.timeoutMs, 5000),
      validateOnPublish: true,
    });
  }

  async send(command: DeliveryAdminCommandPayload): Promise<DeliveryAdminReply> {
    try {
      return await this.client.request<DeliveryAdminReply>(DeliveryAdminV1, command);
    } catch (error) {
      throw toHttpError(error, this.timeoutMs);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}

function toHttpError(error: unknown, timeoutMs: number): HttpException {
  const stream = DeliveryAdminV1.stream;
  if (error instanceof RequestTimeoutException) {
    return new GatewayTimeoutException(`The delivery service did not answer ${stream} within ${timeoutMs} ms (is it running?)`);
  }
  if (error instanceof PublishFailedException) {
    return new ServiceUnavailableException(`Could not send the command on ${stream}: ${error.message}`);
  }
  return new BadGatewayException(`The delivery service refused the ${stream} command: ${describe(error)}`);
}

/** A remote error arrives as whatever the server serialized (an object, a string). */
function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') return (error as { message: string }).message;
  return JSON.stringify(error) ?? 'unknown error';
}
