import { AppError } from '../../../shared/errors';

/** One page as a panel returned it: its items and, when the panel says, how many there are in all. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly total?: number | null;
  /** The panel's own "there is more" flag or next link, when it has one (else inferred from sizes/total). */
  readonly hasMore?: boolean | null;
}

/** Options every pager takes. */
export interface PagerOptions {
  /** Items per page asked for. */
  readonly pageSize: number;
  /** Safety cap: stop with an error past this many pages (a panel that never ends). Default 1000. */
  readonly maxPages?: number;
  readonly signal?: AbortSignal;
}

/** Page-number parameter styles: page/limit (GhostCP, CloudPanel) and page/per_page. */
export type PageStyle = { readonly page: 'page'; readonly size: 'limit' | 'per_page'; readonly first?: 0 | 1 };

function more<T>(page: Page<T>, pageSize: number, seen: number): boolean {
  if (page.hasMore !== undefined && page.hasMore !== null) return page.hasMore && page.items.length > 0;
  if (typeof page.total === 'number') return seen < page.total && page.items.length > 0;
  return page.items.length >= pageSize;
}

function capped(pages: number, max: number): void {
  if (pages >= max) {
    throw new AppError('INTERNAL', `The panel kept returning pages past ${max}; stopped (safety cap).`, {
      maxPages: max,
    });
  }
}

/**
 * Follows a page-number API (page/limit or page/per_page) to the end: stops on a short page, on `total`, or on
 * the panel's own has-more flag; a safety cap stops a panel that never ends.
 */
export async function collectPages<T>(
  style: PageStyle,
  fetchPage: (query: Record<string, number>, signal?: AbortSignal) => Promise<Page<T>>,
  opts: PagerOptions,
): Promise<T[]> {
  const out: T[] = [];
  const max = opts.maxPages ?? 1000;
  for (let n = 0; ; n++) {
    capped(n, max);
    const page = await fetchPage({ [style.page]: n + (style.first ?? 1), [style.size]: opts.pageSize }, opts.signal);
    out.push(...page.items);
    if (!more(page, opts.pageSize, out.length)) return out;
  }
}

/** Follows a limit/offset API (Website Factory) to the end, with the same stop rules and cap. */
export async function collectOffsets<T>(
  fetchPage: (query: { limit: number; offset: number }, signal?: AbortSignal) => Promise<Page<T>>,
  opts: PagerOptions,
): Promise<T[]> {
  const out: T[] = [];
  const max = opts.maxPages ?? 1000;
  for (let n = 0; ; n++) {
    capped(n, max);
    const page = await fetchPage({ limit: opts.pageSize, offset: out.length }, opts.signal);
    out.push(...page.items);
    if (!more(page, opts.pageSize, out.length)) return out;
  }
}
