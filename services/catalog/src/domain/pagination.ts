export const DEFAULT_PAGE_LIMIT = 20;
export const MAX_PAGE_LIMIT = 100;

export interface PageRequest {
  /** 1-based. */
  page: number;
  limit: number;
}

export interface Page<T> {
  items: T[];
  page: number;
  limit: number;
  total: number;
}

/** Rows to skip for a 1-based page. */
export function offsetOf({ page, limit }: PageRequest): number {
  return (page - 1) * limit;
}

export function pageOf<T>(items: T[], request: PageRequest, total: number): Page<T> {
  return { items, page: request.page, limit: request.limit, total };
}

/** How many pages `total` items make (0 for none). */
export function pageCount(total: number, limit: number): number {
  return Math.ceil(total / limit);
}
