/**
 * Turns a stream of chunks into whole lines (a chunk may end mid-line). `flush()` emits a last
 * line that had no newline, e.g. when the process exits.
 */
export function lineSplitter(onLine: (line: string) => void): { push: (chunk: Buffer | string) => void; flush: () => void } {
  let partial = '';
  return {
    push(chunk) {
      const lines = (partial + chunk.toString()).split(/\r?\n/);
      partial = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    },
    flush() {
      if (partial !== '') onLine(partial);
      partial = '';
    },
  };
}
