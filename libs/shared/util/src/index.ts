export { type Deferred, deferred } from './lib/deferred.util';
export { InvalidInputError } from './lib/invalid-input.exception';
export {
  type InputFailure,
  requireArray,
  requireFinite,
  requireInteger,
  requireNonEmptyString,
  requirePositive,
  requireRecord,
} from './lib/input-guards.util';
export { boundedMemo } from './lib/bounded-memo.util';
export { PeriodicJob, type PeriodicJobStartOptions } from './lib/periodic-job.util';
