import { type DeliveryOutcomePayload } from '@peerfed/shared/contracts';
import { OutcomeBatcher } from './outcome-batcher.service';
import { type RecordOutcomeCommand, type RecordOutcomeResult, type RecordOutcomeUsecase } from './record-outcome.usecase';

const command = (messageId: string): RecordOutcomeCommand => ({
  messageId,
  payload: { host: 'a.example', inboxUrl: 'https://a.example/inbox', activityType: 'Create', latencyMs: 1, attempt: 1, outcome: 'delivered' } as DeliveryOutcomePayload,
});

/** A strict fake: records every batch; a command named "poison" makes any batch holding it fail. */
function fakeUsecase(): { usecase: RecordOutcomeUsecase; batches: string[][] } {
  const batches: string[][] = [];
  const executeBatch = (commands: readonly RecordOutcomeCommand[]): Promise<RecordOutcomeResult[]> => {
    batches.push(commands.map((c) => c.messageId));
    if (commands.some((c) => c.messageId === 'poison')) return Promise.reject(new Error('poison'));
    return Promise.resolve(commands.map(() => 'applied' as const));
  };
  const usecase = { executeBatch, execute: async (c: RecordOutcomeCommand) => (await executeBatch([c]))[0] } as unknown as RecordOutcomeUsecase;
  return { usecase, batches };
}

describe('OutcomeBatcher', () => {
  it('applies what arrives together as one batch and settles every caller', async () => {
    const { usecase, batches } = fakeUsecase();
    const batcher = new OutcomeBatcher(usecase, { recoveryIntervalMs: 0, outcomeBatchSize: 10, outcomeBatchLingerMs: 5 });
    const results = await Promise.all(['a', 'b', 'c'].map((id) => batcher.submit(command(id))));
    expect(results).toEqual(['applied', 'applied', 'applied']);
    expect(batches).toEqual([['a', 'b', 'c']]);
  });

  it('never exceeds the batch size', async () => {
    const { usecase, batches } = fakeUsecase();
    const batcher = new OutcomeBatcher(usecase, { recoveryIntervalMs: 0, outcomeBatchSize: 2, outcomeBatchLingerMs: 5 });
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((id) => batcher.submit(command(id))));
    expect(batches.every((b) => b.length <= 2)).toBe(true);
    expect(batches.flat().sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('retries a failed batch one by one, so only the poison message fails', async () => {
    const { usecase, batches } = fakeUsecase();
    const batcher = new OutcomeBatcher(usecase, { recoveryIntervalMs: 0, outcomeBatchSize: 10, outcomeBatchLingerMs: 5 });
    const settled = await Promise.allSettled(['a', 'poison', 'b'].map((id) => batcher.submit(command(id))));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(batches).toEqual([['a', 'poison', 'b'], ['a'], ['poison'], ['b']]);
  });
});
