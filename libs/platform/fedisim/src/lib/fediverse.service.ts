import { behaviours } from './behaviour.util';
import { BehaviourPlan } from './behaviour-plan.util';
import { DeliveryLog } from './delivery-log.service';
import { FakeInstance, type InstanceContext } from './fake-instance.server';
import {
  type Behaviour,
  type DeliveryFilter,
  type DeliveryRecord,
  type FediverseOptions,
  type InstanceStats,
  type RejectionFilter,
  type RejectionRecord,
} from './fedisim.types';
import { fetchPublicKey } from './key-fetch.util';
import { KeyResolver } from './key-resolver.service';
import { LazyKeyPair } from './lazy-key-pair.util';
import { SignatureVerifier } from './signature-verifier.service';
import { type SimActor } from './sim-actor.util';
import { SimHttpClient } from './sim-http.client';

/** Defaults, documented in the README. */
export const FEDISIM_DEFAULTS = {
  usersPerInstance: 1,
  sharedInbox: true,
  maxBodyBytes: 1024 * 1024,
  // http-signature's default; stricter than Mastodon (12 h back, 1 h ahead), so a sender that
  // passes here passes there.
  maxClockSkewSeconds: 300,
  requestTimeoutMs: 5000,
  maxRecords: 100_000,
} as const;

const USERNAME = /^[A-Za-z0-9_.-]{1,64}$/;

function integerIn(value: number | undefined, fallback: number, min: number, max: number, name: string): number {
  const resolved = value ?? fallback;
  if (!Number.isInteger(resolved) || resolved < min || resolved > max) {
    throw new RangeError(`startFediverse: ${name} must be an integer in ${min}..${max}, got ${String(value)}`);
  }
  return resolved;
}

function usernamesOf(options: FediverseOptions): string[] {
  if (options.usernames !== undefined) {
    const bad = options.usernames.find((name) => !USERNAME.test(name));
    if (bad !== undefined) throw new RangeError(`startFediverse: username "${bad}" must match ${USERNAME.source}`);
    if (new Set(options.usernames).size !== options.usernames.length) throw new RangeError('startFediverse: usernames must be unique');
    return [...options.usernames];
  }
  const count = integerIn(options.usersPerInstance, FEDISIM_DEFAULTS.usersPerInstance, 0, 10_000, 'usersPerInstance');
  return Array.from({ length: count }, (_, index) => `user${index}`);
}

/**
 * A running simulated fediverse: N fake instances on loopback ports, one shared delivery log,
 * one key resolver. Start it with startFediverse() and always stop() it.
 */
export class Fediverse {
  private stopping: Promise<void> | undefined;

  private constructor(
    readonly instances: readonly FakeInstance[],
    private readonly log: DeliveryLog,
    private readonly keys: KeyResolver,
    private readonly client: SimHttpClient,
  ) {}

  static async start(options: FediverseOptions): Promise<Fediverse> {
    const count = integerIn(options.instances, Number.NaN, 1, 500, 'instances');
    const usernames = usernamesOf(options);
    const maxBodyBytes = integerIn(options.maxBodyBytes, FEDISIM_DEFAULTS.maxBodyBytes, 1024, 64 * 1024 * 1024, 'maxBodyBytes');
    const clockSkewSeconds = integerIn(options.maxClockSkewSeconds, FEDISIM_DEFAULTS.maxClockSkewSeconds, 1, 86_400, 'maxClockSkewSeconds');
    const requestTimeoutMs = integerIn(options.requestTimeoutMs, FEDISIM_DEFAULTS.requestTimeoutMs, 1, 600_000, 'requestTimeoutMs');
    const maxRecords = integerIn(options.maxRecords, FEDISIM_DEFAULTS.maxRecords, 1, 10_000_000, 'maxRecords');
    const behaviour = options.behaviour ?? behaviours.ok();
    new BehaviourPlan(behaviour); // validates before any port is opened
    const keyMode = options.keyMode ?? 'per-actor';
    if (keyMode !== 'per-actor' && keyMode !== 'shared') throw new RangeError(`startFediverse: unknown keyMode ${String(keyMode)}`);
    const sharedKey = new LazyKeyPair();
    const signKeyFetches = options.signKeyFetches ?? true;

    const client = new SimHttpClient();
    const log = new DeliveryLog(maxRecords);
    const actorsByKeyId = new Map<string, SimActor>();
    const keys = new KeyResolver(
      async (keyId) => {
        const actor = actorsByKeyId.get(keyId);
        return actor ? (await actor.keyPair()).publicKeyPem : undefined;
      },
      (keyId, fetchAs) => fetchPublicKey(client, keyId, signKeyFetches ? fetchAs : undefined, requestTimeoutMs),
    );
    const context: InstanceContext = {
      log,
      verifier: new SignatureVerifier(keys, { clockSkewSeconds, scheme: 'http' }),
      client,
      maxBodyBytes,
      sharedInbox: options.sharedInbox ?? FEDISIM_DEFAULTS.sharedInbox,
      requestTimeoutMs,
      behaviour,
      keyPairFor: () => (keyMode === 'shared' ? sharedKey : new LazyKeyPair()),
    };

    const started = await Promise.allSettled(Array.from({ length: count }, (_, index) => FakeInstance.start(index, usernames, context)));
    const instances = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    const failure = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failure) {
      await Promise.all(instances.map((instance) => instance.stop()));
      client.close();
      throw new Error(`startFediverse: an instance failed to start: ${(failure.reason as Error).message}`);
    }
    for (const instance of instances) {
      for (const actor of [...instance.actors, instance.instanceActor]) actorsByKeyId.set(actor.keyId, actor);
    }
    return new Fediverse(instances, log, keys, client);
  }

  /** An instance by index, name (`sim3`) or host (`127.0.0.1:41234`). */
  instance(ref: number | string): FakeInstance {
    const found = typeof ref === 'number' ? this.instances[ref] : this.instances.find((i) => i.name === ref || i.host === ref);
    if (!found) throw new Error(`no simulated instance ${String(ref)}`);
    return found;
  }

  /** Every actor of every instance (not the instance actors). */
  actors(): SimActor[] {
    return this.instances.flatMap((instance) => [...instance.actors]);
  }

  /** Registers the public key of a keyId, so that no fetch is needed to verify it. */
  trustKey(keyId: string, publicKeyPem: string): void {
    this.keys.trust(keyId, publicKeyPem);
  }

  untrustKey(keyId: string): void {
    this.keys.untrust(keyId);
  }

  /** Drops the cache of fetched keys (registered keys stay). */
  forgetFetchedKeys(): void {
    this.keys.forgetFetched();
  }

  /** Number of key fetches (cache misses) so far. */
  keyFetches(): number {
    return this.keys.fetches();
  }

  /** Sets the same behaviour on every instance (each with its own sequence state). */
  setBehaviour(behaviour: Behaviour): void {
    for (const instance of this.instances) instance.setBehaviour(behaviour);
  }

  resetBehaviours(): void {
    for (const instance of this.instances) instance.resetBehaviours();
  }

  /** Verified inbox POSTs (any outcome), in arrival order. */
  deliveries(filter: DeliveryFilter = {}): DeliveryRecord[] {
    return this.log.deliveries(filter);
  }

  count(filter: DeliveryFilter = {}): number {
    return this.log.count(filter);
  }

  /** Requests answered 401 because their signature, digest, date or key did not check out. */
  signatureFailures(filter: Omit<RejectionFilter, 'kind'> = {}): RejectionRecord[] {
    return this.log.rejections({ ...filter, kind: 'signature' });
  }

  /** All rejected inbox POSTs (signature 401, malformed 400, too large 413). */
  rejections(filter: RejectionFilter = {}): RejectionRecord[] {
    return this.log.rejections(filter);
  }

  /** How many verified POSTs carried this activity id (over all instances and inboxes). */
  receivedActivity(activityId: string): number {
    return this.log.receivedActivity(activityId);
  }

  /** Activity types for an object id in arrival order, e.g. ['Create', 'Update', 'Delete']. */
  arrivalOrder(objectId: string, options: { acceptedOnly?: boolean } = {}): string[] {
    return this.log.arrivalOrder(objectId, options.acceptedOnly ?? true);
  }

  stats(instance: number | string): InstanceStats {
    return this.log.stats(this.instance(instance).name);
  }

  totals(): ReturnType<DeliveryLog['totals']> {
    return this.log.totals();
  }

  /** Resolves once `count` deliveries matching `filter` arrived since the last reset. */
  waitForDeliveries(count: number, timeoutMs: number, filter: DeliveryFilter = {}): Promise<DeliveryRecord[]> {
    return this.log.waitForDeliveries(count, timeoutMs, filter);
  }

  /** Clears records and counters (not behaviours, not keys). */
  resetCounters(): void {
    this.log.reset();
  }

  /** Stops every instance, closes the client pool and fails pending waits. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.log.close();
      await Promise.all(this.instances.map((instance) => instance.stop()));
      this.client.close();
    })();
    return this.stopping;
  }
}

/** Starts `options.instances` fake instances on loopback; see Fediverse. */
export function startFediverse(options: FediverseOptions): Promise<Fediverse> {
  return Fediverse.start(options);
}
