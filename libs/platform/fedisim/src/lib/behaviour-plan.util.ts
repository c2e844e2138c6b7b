import { type Behaviour } from './fedisim.types';

/** A single (non-sequence) behaviour, the thing an inbox actually does for one request. */
export type LeafBehaviour = Exclude<Behaviour, { kind: 'sequence' }>;

/**
 * The running state of a behaviour: a scripted sequence advances by one step per verified
 * request, so "fails twice then succeeds" is `sequence([fail500(), fail500()])`.
 */
export class BehaviourPlan {
  private consumed = 0;

  constructor(readonly behaviour: Behaviour) {
    if (behaviour.kind === 'sequence' && [...behaviour.steps, behaviour.then].some((b) => b.kind === 'sequence')) {
      throw new RangeError('sequences cannot be nested');
    }
  }

  /** The behaviour for the next request, advancing a sequence. */
  next(): LeafBehaviour {
    const current = this.behaviour;
    if (current.kind !== 'sequence') return current;
    const step = this.consumed < current.steps.length ? current.steps[this.consumed] : current.then;
    this.consumed += 1;
    return step as LeafBehaviour;
  }

  /** Steps of a sequence not yet used (0 for a plain behaviour). */
  remainingSteps(): number {
    return this.behaviour.kind === 'sequence' ? Math.max(0, this.behaviour.steps.length - this.consumed) : 0;
  }
}
