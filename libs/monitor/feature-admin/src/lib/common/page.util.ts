export interface Page<T> {
  readonly items: T[];
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
  /** Offset of the next page, null on the last one. */
  readonly nextOffset: number | null;
}

export function pageOf<T>(items: T[], total: number, limit: number, offset: number): Page<T> {
  return { items, total, limit, offset, nextOffset: offset + items.length < total ? offset + items.length : null };
}

/** Pages a list held in memory. */
export function slicePage<T>(all: readonly T[], limit: number, offset: number): Page<T> {
  return pageOf(all.slice(offset, offset + limit), all.length, limit, offset);
}
