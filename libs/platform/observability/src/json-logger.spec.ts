import { Logger } from '@nestjs/common';
import { JsonLogger } from './json-logger.service';
import { runWithRequestContext } from './request-context.util';

function capture(level: 'info' | 'debug' | 'warn' | 'trace' = 'info') {
  const lines: string[] = [];
  const logger = new JsonLogger({ service: 'wallet', level, write: (line) => lines.push(line), now: () => new Date('2026-11-22T10:00:00.000Z') });
  const records = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines, records };
}

describe('JsonLogger', () => {
  it('writes one JSON object per line with time, level, service, context and msg', () => {
    const { logger, lines, records } = capture();
    logger.log('started', 'Bootstrap');
    expect(lines).toHaveLength(1);
    expect(lines[0]?.endsWith('\n')).toBe(true);
    expect(lines[0]?.trimEnd()).not.toContain('\n');
    expect(records()[0]).toEqual({ time: '2026-11-22T10:00:00.000Z', level: 'info', service: 'wallet', context: 'Bootstrap', msg: 'started' });
  });

  it('filters by level', () => {
    const { logger, records } = capture('warn');
    logger.log('info line');
    logger.debug('debug line');
    logger.verbose('trace line');
    logger.warn('warn line');
    logger.error('error line');
    logger.fatal('fatal line');
    expect(records().map((r) => [r['level'], r['msg']])).toEqual([
      ['warn', 'warn line'],
      ['error', 'error line'],
      ['fatal', 'fatal line'],
    ]);
    const verbose = capture('trace');
    verbose.logger.verbose('trace line');
    expect(verbose.records()[0]).toMatchObject({ level: 'trace', msg: 'trace line' });
  });

  it('serialises an Error as msg and err with its stack', () => {
    const { logger, records } = capture();
    const error = new TypeError('bad input');
    logger.error(error, 'Handler');
    expect(records()[0]).toMatchObject({ level: 'error', context: 'Handler', msg: 'bad input', err: { name: 'TypeError', message: 'bad input' } });
    expect((records()[0]?.['err'] as { stack: string }).stack).toContain('TypeError: bad input');
  });

  it('follows the Nest Logger conventions for stack and context', () => {
    const { logger, records } = capture();
    const previous = Logger['staticInstanceRef'];
    Logger.overrideLogger(logger);
    try {
      const stack = new Error('db down').stack ?? '';
      new Logger('Repo').error('query failed', stack);
      new Logger('Repo').error('no stack');
      new Logger('Repo').log({ msg: 'saved', id: 42 });
    } finally {
      Logger.overrideLogger(previous ?? false);
    }
    const [withStack, withoutStack, structured] = records();
    expect(withStack).toMatchObject({ level: 'error', context: 'Repo', msg: 'query failed' });
    expect((withStack?.['err'] as { stack: string }).stack).toContain('Error: db down');
    expect(withoutStack).toEqual(expect.objectContaining({ context: 'Repo', msg: 'no stack' }));
    expect(withoutStack).not.toHaveProperty('err');
    expect(structured).toMatchObject({ context: 'Repo', msg: 'saved', id: 42 });
  });

  it('merges structured fields but never lets them overwrite time, level or service', () => {
    const { logger, records } = capture();
    logger.warn({ msg: 'slow query', durationMs: 1200, level: 'debug', service: 'other', err: new Error('late') });
    expect(records()[0]).toMatchObject({ level: 'warn', service: 'wallet', msg: 'slow query', durationMs: 1200, err: { message: 'late' } });
  });

  it('adds reqId and traceId of the current request context, also across awaits', async () => {
    const { logger, records } = capture();
    await runWithRequestContext({ reqId: 'req-1', traceId: '4bf92f3577b34da6a3ce929d0e0e4736' }, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      logger.log('inside');
    });
    logger.log('outside');
    expect(records()[0]).toMatchObject({ msg: 'inside', reqId: 'req-1', traceId: '4bf92f3577b34da6a3ce929d0e0e4736' });
    expect(records()[1]).not.toHaveProperty('reqId');
  });
});
