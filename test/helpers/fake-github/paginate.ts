/** One page of a list answer, with the `Link` header GitHub sends when there are more pages. */
export interface Page<T> {
  items: T[];
  headers: Record<string, string>;
}

/**
 * GitHub's paging: `per_page` (default 30, at most 100) and `page` (from 1); a `Link` header names the next,
 * last, first and previous pages, and is absent when everything fits on one page.
 */
export function paginate<T>(items: T[], query: URLSearchParams, pageUrl: string): Page<T> {
  const size = Math.max(1, Math.min(100, Number(query.get('per_page') ?? 30)));
  const current = Math.max(1, Number(query.get('page') ?? 1));
  const last = Math.max(1, Math.ceil(items.length / size));
  const link = (page: number, rel: string): string => {
    const url = new URL(pageUrl);
    url.searchParams.set('per_page', String(size));
    url.searchParams.set('page', String(page));
    return `<${url.href}>; rel="${rel}"`;
  };
  const rels: string[] = [];
  if (current < last) rels.push(link(current + 1, 'next'), link(last, 'last'));
  if (current > 1) rels.push(link(1, 'first'), link(current - 1, 'prev'));
  return {
    items: items.slice((current - 1) * size, current * size),
    headers: rels.length > 0 ? { link: rels.join(', ') } : {},
  };
}
