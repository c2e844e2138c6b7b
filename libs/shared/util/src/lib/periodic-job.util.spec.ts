import { type Deferred, deferred } from './deferred.util';
import { PeriodicJob } from './periodic-job.util';

/** A job whose runs stay in progress until the test settles them, one Deferred per run. */
function controlledJob() {
  const runs: Deferred<number>[] = [];
  const job = jest.fn(() => {
    const run = deferred<number>();
    runs.push(run);
    return run.promise;
  });
  return { job, runs };
}

const advance = (ms: number) => jest.advanceTimersByTimeAsync(ms);

describe('PeriodicJob', () => {
  let onError: jest.Mock<void, [unknown]>;

  beforeEach(() => {
    jest.useFakeTimers();
    onError = jest.fn();
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('ticks once every interval after start', async () => {
    const job = jest.fn(() => Promise.resolve(1));
    const periodic = new PeriodicJob(job, onError);
    periodic.start(1000);

    await advance(999);
    expect(job).not.toHaveBeenCalled();
    await advance(1);
    expect(job).toHaveBeenCalledTimes(1);
    await advance(1000);
    expect(job).toHaveBeenCalledTimes(2);
    await advance(3000);
    expect(job).toHaveBeenCalledTimes(5);
    await periodic.stop();
  });

  it('waits firstDelayMs for the first tick, then the interval', async () => {
    const job = jest.fn(() => Promise.resolve(1));
    const periodic = new PeriodicJob(job, onError);
    periodic.start(1000, { firstDelayMs: 200 });

    await advance(199);
    expect(job).not.toHaveBeenCalled();
    await advance(1);
    expect(job).toHaveBeenCalledTimes(1);
    await advance(999);
    expect(job).toHaveBeenCalledTimes(1);
    await advance(1);
    expect(job).toHaveBeenCalledTimes(2);
    await periodic.stop();
  });

  it('ignores a second start while started', async () => {
    const job = jest.fn(() => Promise.resolve(1));
    const periodic = new PeriodicJob(job, onError);
    periodic.start(1000);
    periodic.start(10);

    await advance(1000);
    expect(job).toHaveBeenCalledTimes(1);
    expect(jest.getTimerCount()).toBe(1);
    await periodic.stop();
  });

  it('lets a call made during a run join it, and starts a new run once it is over', async () => {
    const { job, runs } = controlledJob();
    const periodic = new PeriodicJob(job, onError);

    const first = periodic.runNow();
    const joined = periodic.runNow();
    expect(joined).toBe(first);
    expect(job).toHaveBeenCalledTimes(1);

    runs[0].resolve(7);
    await expect(first).resolves.toBe(7);
    await expect(joined).resolves.toBe(7);

    const next = periodic.runNow();
    expect(job).toHaveBeenCalledTimes(2);
    runs[1].resolve(8);
    await expect(next).resolves.toBe(8);
  });

  it('runs the work a caller passes instead of the job, and joins callers to it', async () => {
    const job = jest.fn(() => Promise.resolve(1));
    const periodic = new PeriodicJob(job, onError);
    const own = deferred<number>();

    const first = periodic.runNow(() => own.promise);
    const joined = periodic.runNow();
    own.resolve(42);

    await expect(first).resolves.toBe(42);
    await expect(joined).resolves.toBe(42);
    expect(job).not.toHaveBeenCalled();
  });

  it('never overlaps runs when a run outlasts the interval: the ticks in between skip', async () => {
    const { job, runs } = controlledJob();
    const periodic = new PeriodicJob(job, onError);
    periodic.start(100);

    await advance(100);
    expect(job).toHaveBeenCalledTimes(1);
    await advance(250);
    expect(job).toHaveBeenCalledTimes(1);

    runs[0].resolve(1);
    await advance(49);
    expect(job).toHaveBeenCalledTimes(1);
    await advance(1);
    expect(job).toHaveBeenCalledTimes(2);
    runs[1].resolve(2);
    await periodic.stop();
  });

  it('skips a tick while a caller’s run is in progress, leaving that run’s failure to the caller', async () => {
    const { job, runs } = controlledJob();
    const periodic = new PeriodicJob(job, onError);
    periodic.start(100);

    const manual = periodic.runNow();
    await advance(100);
    expect(job).toHaveBeenCalledTimes(1);
    runs[0].reject(new Error('manual'));
    await expect(manual).rejects.toThrow('manual');
    await advance(0);
    expect(onError).not.toHaveBeenCalled();
    await periodic.stop();
  });

  it('stop() waits for the run in progress and no tick follows', async () => {
    const { job, runs } = controlledJob();
    const periodic = new PeriodicJob(job, onError);
    periodic.start(100);
    await advance(100);

    let stopped = false;
    const stopping = periodic.stop().then(() => {
      stopped = true;
    });
    await advance(0);
    expect(stopped).toBe(false);

    runs[0].resolve(1);
    await stopping;
    expect(stopped).toBe(true);
    expect(jest.getTimerCount()).toBe(0);

    await advance(1000);
    expect(job).toHaveBeenCalledTimes(1);
  });

  it('stop() resolves even when the run in progress fails', async () => {
    const { job, runs } = controlledJob();
    const periodic = new PeriodicJob(job, onError);
    const run = periodic.runNow();

    const stopping = periodic.stop();
    runs[0].reject(new Error('boom'));

    await expect(stopping).resolves.toBeUndefined();
    await expect(run).rejects.toThrow('boom');
  });

  it('can be started again after stop()', async () => {
    const job = jest.fn(() => Promise.resolve(1));
    const periodic = new PeriodicJob(job, onError);
    periodic.start(100);
    await periodic.stop();
    periodic.start(100);

    await advance(100);
    expect(job).toHaveBeenCalledTimes(1);
    await periodic.stop();
  });

  it('hands a failed tick’s error to onError and still runs the next tick', async () => {
    const failure = new Error('tick failed');
    const job = jest.fn().mockRejectedValueOnce(failure).mockResolvedValue(1);
    const periodic = new PeriodicJob<number>(job, onError);
    periodic.start(100);

    await advance(100);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError).toHaveBeenCalledWith(failure);
    await advance(100);
    expect(job).toHaveBeenCalledTimes(2);
    expect(onError).toHaveBeenCalledTimes(1);
    await periodic.stop();
  });

  it('treats a job that throws synchronously like one that rejects', async () => {
    const failure = new Error('sync');
    const job = jest.fn<Promise<number>, []>(() => {
      throw failure;
    });
    const periodic = new PeriodicJob(job, onError);

    await expect(periodic.runNow()).rejects.toBe(failure);
    periodic.start(100);
    await advance(100);
    expect(onError).toHaveBeenCalledWith(failure);
    expect(job).toHaveBeenCalledTimes(2);
    await periodic.stop();
  });

  it('gives the error of a caller’s run to that caller, not to onError', async () => {
    const failure = new Error('manual');
    const periodic = new PeriodicJob<number>(() => Promise.reject(failure), onError);

    await expect(periodic.runNow()).rejects.toBe(failure);
    expect(onError).not.toHaveBeenCalled();
  });

  it('unrefs its timers so they never keep the process alive', async () => {
    const setTimeoutSpy = jest.spyOn(global, 'setTimeout');
    const periodic = new PeriodicJob(() => Promise.resolve(1), onError);
    periodic.start(100, { firstDelayMs: 10 });
    await advance(10);
    await advance(100);

    const timers = setTimeoutSpy.mock.results.map((result) => result.value as NodeJS.Timeout);
    expect(timers).toHaveLength(3);
    for (const timer of timers) expect(timer.hasRef()).toBe(false);
    setTimeoutSpy.mockRestore();
    await periodic.stop();
  });
});
