/**
 * A pure function with its answers remembered for the keys it sees again: hot paths that parse
 * or hash the same few hosts, URLs and keys on every message. At most `limit` answers are kept
 * (the oldest goes first), so memory stays bounded whatever callers send. A call that throws
 * remembers nothing.
 */
export function boundedMemo<K, V>(compute: (key: K) => V, limit = 10_000): (key: K) => V {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`boundedMemo: limit must be a positive integer, got ${limit}`);
  const answers = new Map<K, V>();
  return (key) => {
    if (answers.has(key)) return answers.get(key) as V;
    const answer = compute(key);
    if (answers.size >= limit) answers.delete(answers.keys().next().value as K);
    answers.set(key, answer);
    return answer;
  };
}
