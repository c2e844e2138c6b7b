/** A stand-in that implements only `impl` and throws on any other member: no silent unmocked calls. */
export function strictFake<T extends object>(impl: Partial<T>, name = 'fake'): T {
  return new Proxy(impl as T, {
    get(target, property, receiver) {
      if (property === 'then' || typeof property === 'symbol') return Reflect.get(target, property, receiver) as unknown;
      if (!(property in target)) throw new Error(`${name}.${String(property)} was called but not expected`);
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
}

export const silentLogger = { log: () => undefined, error: () => undefined, warn: () => undefined, debug: () => undefined, verbose: () => undefined };
