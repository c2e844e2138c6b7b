const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Schema names end up inside SQL text (DDL cannot take them as parameters), so they are checked
 * against a strict identifier pattern and returned double-quoted.
 */
export function quoteSchema(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(`Invalid schema name ${JSON.stringify(schema)}: use lower-case letters, digits and _`);
  }
  return `"${schema}"`;
}
