/**
 * A user's search text as a Postgres tsquery (text search config 'simple'):
 * every word must match, each as a prefix, so "blue mu" finds "Blue Mug".
 * Only letters and digits survive (tsquery operators like & | ! : ( ) can
 * not be injected), at most MAX_TERMS words. Undefined when nothing is left.
 *
 *   toPrefixTsQuery('Blue  mu!') === 'blue:* & mu:*'
 */
export const MAX_TERMS = 8;

export function searchTerms(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, MAX_TERMS);
}

export function toPrefixTsQuery(text: string): string | undefined {
  const terms = searchTerms(text);
  return terms.length ? terms.map((term) => `${term}:*`).join(' & ') : undefined;
}
