import { Body, Controller, Get, Logger, Module, Post } from '@nestjs/common';
import { type CustomTransportStrategy } from '@nestjs/microservices';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { BaseEnv } from '@peerfed/platform/config';
import { IsInt, IsString, Min, MinLength } from 'class-validator';
import { setTimeout as delay } from 'node:timers/promises';
import { ConsumerLoopsIndicator } from './consumer-loops.indicator';
import { currentRequestContext } from './request-context.util';
import { createServiceApp } from './service-app.util';
import { ShutdownService } from './shutdown.service';

class CreateItemDto {
  @IsString()
  @MinLength(1)
  name!: string;

  @IsInt()
  @Min(1)
  amount!: number;
}

@Controller('echo')
class EchoController {
  private readonly logger = new Logger('Echo');

  @Get('slow')
  async slow(): Promise<{ reqId: string | undefined }> {
    await delay(5);
    this.logger.log('slow handler done');
    return { reqId: currentRequestContext()?.reqId };
  }

  @Post('items')
  create(@Body() item: CreateItemDto): CreateItemDto {
    this.logger.log({ msg: 'item created', name: item.name });
    return item;
  }

  @Get('boom')
  boom(): never {
    throw new Error('secret internal detail');
  }
}

@Module({ controllers: [EchoController] })
class EchoModule {}

class FakeConsumerTransport implements CustomTransportStrategy {
  up = true;
  closed = false;

  listen(callback: () => void): void {
    callback();
  }

  close(): void {
    this.closed = true;
  }

  health(): { up: boolean; loops: { stream: string; running: boolean }[] } {
    return { up: this.up, loops: [{ stream: 'test.events.v1', running: this.up }] };
  }
}

const ENV = {
  NODE_ENV: 'test',
  HOST: '127.0.0.1',
  PORT: '0',
  LOG_LEVEL: 'debug',
  // Validated but never connected to: this app has no DatabaseModule and no Redis indicator.
  DATABASE_URL: 'postgres://user:dbpass@127.0.0.1:1/none',
  REDIS_URL: 'redis://127.0.0.1:1',
};

interface Started {
  app: NestFastifyApplication;
  url: string;
  logs: Record<string, unknown>[];
  transport: FakeConsumerTransport;
  exits: number[];
}

async function start(overrides: Record<string, string> = {}, handleSignals = false): Promise<Started> {
  const logs: Record<string, unknown>[] = [];
  const transport = new FakeConsumerTransport();
  const exits: number[] = [];
  const app = await createServiceApp({
    name: 'test',
    module: EchoModule,
    env: BaseEnv,
    overrides: { ...ENV, ...overrides },
    readiness: [ConsumerLoopsIndicator],
    microservices: () => [transport],
    handleSignals,
    exit: (code) => exits.push(code),
    writeLog: (line) => logs.push(JSON.parse(line) as Record<string, unknown>),
  });
  return { app, url: await app.getUrl(), logs, transport, exits };
}

describe('createServiceApp (chassis without database)', () => {
  let s: Started;

  beforeAll(async () => {
    s = await start();
  });

  afterAll(async () => {
    await s?.app.close();
  });

  it('logs the masked configuration at start-up', () => {
    const line = s.logs.find((l) => l['msg'] === 'configuration loaded');
    expect(line).toMatchObject({ service: 'test', context: 'Bootstrap', config: { DATABASE_URL: 'postgres://user:***@127.0.0.1:1/none' } });
  });

  it('echoes a valid x-request-id and carries it into the logs of that request', async () => {
    const response = await fetch(`${s.url}/echo/slow`, { headers: { 'x-request-id': 'client-id-1' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('client-id-1');
    expect(await response.json()).toEqual({ reqId: 'client-id-1' });
    const lines = s.logs.filter((l) => l['reqId'] === 'client-id-1');
    expect(lines.map((l) => l['msg'])).toEqual(['slow handler done', 'request completed']);
    expect(lines[1]).toMatchObject({ context: 'HTTP', method: 'GET', route: '/echo/slow', statusCode: 200 });
  });

  it('answers probes outside a request context, still echoing and logging their request id', async () => {
    const response = await fetch(`${s.url}/health/live`, { headers: { 'x-request-id': 'probe-1' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('probe-1');
    const lines = s.logs.filter((l) => l['reqId'] === 'probe-1');
    expect(lines).toEqual([expect.objectContaining({ level: 'debug', msg: 'request completed', route: '/health/live', statusCode: 200 })]);
  });

  it('replaces an invalid x-request-id with a generated one', async () => {
    const response = await fetch(`${s.url}/echo/slow`, { headers: { 'x-request-id': 'bad id with spaces' } });
    const id = response.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await response.json()).toEqual({ reqId: id });
  });

  it('keeps the request context through body parsing', async () => {
    const response = await fetch(`${s.url}/echo/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'post-1', traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
      body: JSON.stringify({ name: 'run', amount: 3 }),
    });
    expect(response.status).toBe(201);
    expect(s.logs.find((l) => l['msg'] === 'item created')).toMatchObject({ reqId: 'post-1', traceId: '4bf92f3577b34da6a3ce929d0e0e4736' });
  });

  it('names every invalid and unknown field in a 400', async () => {
    const response = await fetch(`${s.url}/echo/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: '', amount: 'x', admin: true }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { message: string; details: { field: string; errors: string[] }[] };
    expect(body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(body.message.replace('Validation failed: ', '').split(', ').sort()).toEqual(['admin', 'amount', 'name']);
    expect(body.details.map((d) => d.field).sort()).toEqual(['admin', 'amount', 'name']);
    expect(body.details.find((d) => d.field === 'admin')?.errors).toEqual(['property admin should not exist']);
  });

  it('answers malformed JSON, unknown routes and crashes in the same JSON shape', async () => {
    const malformed = await fetch(`${s.url}/echo/items`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ statusCode: 400, error: 'Bad Request' });

    const missing = await fetch(`${s.url}/nowhere`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ statusCode: 404, error: 'Not Found', message: 'Cannot GET /nowhere' });

    const crash = await fetch(`${s.url}/echo/boom`, { headers: { 'x-request-id': 'boom-1' } });
    expect(crash.status).toBe(500);
    const body = await crash.text();
    expect(JSON.parse(body)).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'Internal server error' });
    expect(body).not.toContain('secret internal detail');
    const logged = s.logs.find((l) => l['reqId'] === 'boom-1' && l['level'] === 'error');
    expect(logged).toMatchObject({ context: 'HttpErrorFilter', err: { message: 'secret internal detail' } });
  });

  it('serves Prometheus metrics with the HTTP duration histogram by route pattern', async () => {
    await fetch(`${s.url}/echo/slow`);
    const response = await fetch(`${s.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(text).toMatch(/^http_request_duration_seconds_count\{service="test",method="GET",route="\/echo\/slow",status="200"\} [1-9]/m);
    expect(text).toMatch(/http_request_duration_seconds_count\{[^}]*route="unmatched",status="404"/);
    expect(text).toContain('process_cpu_user_seconds_total{service="test"}');
  });

  it('serves the OpenAPI document and UI', async () => {
    const json = (await (await fetch(`${s.url}/api/docs-json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(json.paths)).toEqual(expect.arrayContaining(['/echo/items', '/health/ready']));
    expect(Object.keys(json.paths)).not.toContain('/metrics');
    const ui = await fetch(`${s.url}/api/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
  });

  it('reports consumer loops in readiness', async () => {
    expect((await fetch(`${s.url}/health/live`)).status).toBe(200);
    const ready = await fetch(`${s.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', info: { consumers: { status: 'up' } } });

    s.transport.up = false;
    const notReady = await fetch(`${s.url}/health/ready`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({
      status: 'error',
      error: { consumers: { status: 'down', transports: [{ up: false, loops: [{ stream: 'test.events.v1', running: false }] }] } },
    });
    s.transport.up = true;
  });
});

describe('graceful shutdown', () => {
  it('turns readiness 503 first, then closes the server and the transports', async () => {
    const { app, url, transport } = await start({ SHUTDOWN_GRACE_MS: '1000' });
    const done = app.get(ShutdownService).shutdown();
    const during = await fetch(`${url}/health/ready`);
    expect(during.status).toBe(503);
    expect(await during.json()).toMatchObject({ status: 'error', error: { shutdown: { status: 'down' } } });
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
    expect(transport.closed).toBe(false);
    await done;
    expect(transport.closed).toBe(true);
    await expect(fetch(`${url}/health/live`)).rejects.toThrow();
  });

  it('exits 0 after SIGTERM, and at once with 1 on a second signal', async () => {
    const { url, exits } = await start({ SHUTDOWN_GRACE_MS: '1000' }, true);
    process.emit('SIGTERM');
    expect((await fetch(`${url}/health/ready`)).status).toBe(503);
    process.emit('SIGINT');
    expect(exits).toEqual([1]);
    const deadline = Date.now() + 5000;
    while (exits.length < 2 && Date.now() < deadline) await delay(20);
    expect(exits).toEqual([1, 0]);
    expect(process.listenerCount('SIGTERM')).toBe(0);
  });
});
