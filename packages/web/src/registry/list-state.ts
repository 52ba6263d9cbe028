import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../api/client.js';
import type { Page } from '../api/types.js';

export type Filters = Record<string, string | undefined>;

/**
 * A server-paginated list whose page, size, search text and filters live in the URL,
 * so a reload or a shared link shows the same rows.
 */
export function useListState(filterNames: readonly string[]) {
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const pageSize = Math.min(500, Math.max(1, Number(params.get('pageSize')) || 20));
  const q = params.get('q') ?? '';
  const filterKey = filterNames.map((n) => `${n}=${params.get(n) ?? ''}`).join('&');
  const filters = useMemo<Filters>(() => {
    const out: Filters = {};
    for (const n of filterNames) out[n] = params.get(n) ?? undefined;
    return out;
    // filterKey captures exactly the values read here
  }, [filterKey]);

  /** Changes some of page/pageSize/q/filters; any change but paging goes back to page 1. */
  const update = useCallback(
    (changes: Record<string, string | number | undefined | null>) => {
      setParams((prev) => {
        const next = new URLSearchParams(prev);
        for (const [k, v] of Object.entries(changes)) {
          if (v === undefined || v === null || v === '') next.delete(k);
          else next.set(k, String(v));
        }
        if (!('page' in changes)) next.delete('page');
        return next;
      });
    },
    [setParams],
  );

  return { page, pageSize, q, filters, update };
}

export function usePage<T>(path: string, state: { page: number; pageSize: number; q: string; filters: Filters }) {
  const query = { page: state.page, pageSize: state.pageSize, q: state.q, ...state.filters };
  return useQuery({
    queryKey: [path, query],
    queryFn: () => api<Page<T>>(path, { query }),
    placeholderData: keepPreviousData,
  });
}
