import 'reflect-metadata';

const SECRET_KEYS = Symbol('peerfed:config:secret-keys');
export const MASK = '***';

/**
 * Marks an env field as secret: describeConfig() and validation errors never show its value.
 * URLs are masked anyway (their password part), so @Secret() is for tokens, keys and passwords.
 */
export function Secret(): PropertyDecorator {
  return (target, propertyKey) => {
    // getMetadata (not own) so a subclass keeps the secrets its parent declared.
    const inherited: ReadonlySet<string | symbol> = Reflect.getMetadata(SECRET_KEYS, target) ?? new Set();
    Reflect.defineMetadata(SECRET_KEYS, new Set([...inherited, propertyKey]), target);
  };
}

/** True when the property was marked with @Secret() on the object's class or one of its parents. */
export function isSecret(instance: object, propertyKey: string): boolean {
  const keys: ReadonlySet<string | symbol> | undefined = Reflect.getMetadata(SECRET_KEYS, instance);
  return keys?.has(propertyKey) ?? false;
}

/** Replaces the password in `scheme://user:password@host` with ***; leaves everything else as written. */
export function maskUrlCredentials(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/\s]*:)[^@/\s]*@/i, `$1${MASK}@`);
}

/** How a value may be shown in logs or error messages. */
export function maskValue(value: string, secret: boolean): string {
  return secret ? MASK : maskUrlCredentials(value);
}
