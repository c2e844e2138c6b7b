import { PRIORITIES, type Priority } from '@peerfed/shared/contracts';

export type PriorityWeights = Record<Priority, number>;

export const DEFAULT_PRIORITY_WEIGHTS: PriorityWeights = { critical: 8, high: 4, medium: 2, low: 1 };

/**
 * Splits the capacity of each read cycle between the priority lanes by smooth weighted
 * round-robin over single slots, with state carried from cycle to cycle. Over any run of
 * sum(weights) consecutive slots every lane gets exactly its weight, so with the defaults
 * (8:4:2:1) critical gets 8 of every 15 slots and low still gets 1: nothing starves, whatever the
 * capacity per cycle (even 1). Ties go to the higher priority.
 */
export class PriorityShares {
  private readonly weights: number[];
  private readonly total: number;
  private readonly current: number[];

  constructor(weights: PriorityWeights = DEFAULT_PRIORITY_WEIGHTS) {
    this.weights = PRIORITIES.map((priority) => {
      const weight = weights[priority];
      if (!Number.isInteger(weight) || weight < 1) throw new Error(`Priority weight of ${priority} must be an integer >= 1, got ${weight}`);
      return weight;
    });
    this.total = this.weights.reduce((sum, weight) => sum + weight, 0);
    this.current = this.weights.map(() => 0);
  }

  /** Shares of `capacity` slots, in PRIORITIES order; they add up to `capacity`. */
  next(capacity: number): number[] {
    const shares = this.weights.map(() => 0);
    for (let slot = 0; slot < capacity; slot++) {
      let best = 0;
      for (let lane = 0; lane < this.weights.length; lane++) {
        this.current[lane] += this.weights[lane];
        if (this.current[lane] > this.current[best]) best = lane;
      }
      this.current[best] -= this.total;
      shares[best] += 1;
    }
    return shares;
  }
}
