import { BadRequestException } from '@nestjs/common';
import { AS_CONTEXT } from '@peerfed/shared/activitypub';

/** Items per OrderedCollectionPage. */
export const PAGE_SIZE = 20;
const MAX_PAGE = 100_000;

/** `?page=` as a 1-based page number, or undefined for the collection itself; 400 otherwise. */
export function parsePage(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^[1-9][0-9]{0,5}$/.test(raw) || Number(raw) > MAX_PAGE) {
    throw new BadRequestException(`page must be an integer between 1 and ${MAX_PAGE}`);
  }
  return Number(raw);
}

/** The collection document: its size and a link to the first page (Mastodon's shape). */
export function orderedCollection(id: string, totalItems: number): Record<string, unknown> {
  return { '@context': AS_CONTEXT, id, type: 'OrderedCollection', totalItems, first: `${id}?page=1` };
}

/** One page; `next` only when more items follow. */
export function orderedCollectionPage(id: string, page: number, totalItems: number, items: readonly unknown[]): Record<string, unknown> {
  const hasNext = page * PAGE_SIZE < totalItems;
  return {
    '@context': AS_CONTEXT,
    id: `${id}?page=${page}`,
    type: 'OrderedCollectionPage',
    partOf: id,
    totalItems,
    orderedItems: items,
    ...(hasNext && { next: `${id}?page=${page + 1}` }),
    ...(page > 1 && { prev: `${id}?page=${page - 1}` }),
  };
}
