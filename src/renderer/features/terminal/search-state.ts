import { plural } from '../../lib/plural';

/** "3 of 12", "12 matches" (past the highlight limit) or "No match"; empty before the first search. */
export function searchStateText(
  query: string,
  found: boolean | null,
  results: { index: number; count: number } | null,
): string {
  if (!query || found === null) return '';
  if (found === false || results?.count === 0) return 'No match';
  if (!results) return '';
  return results.index >= 0 ? `${results.index + 1} of ${results.count}` : plural(results.count, 'match', 'matches');
}
