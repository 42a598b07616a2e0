/**
 * Lists page through the API's cursors (`next_cursor`), and a list's place and filters live in the URL's search
 * params, so a reload or a shared link shows the same page: `cursor` is the page shown, `back` the cursors of the
 * pages between the first and it (for 上一页; the first page has none), `.`-separated (base64url never holds a dot). A `prefix` keeps two lists on one
 * screen apart (`u.cursor`).
 */
import { keepPreviousData, type QueryKey, useQuery } from "@tanstack/react-query";
import { useCallback, useMemo } from "react";
import { useSearchParams } from "react-router-dom";

export type CursorPage<T> = { items: T[]; next_cursor?: string | null };

/** The URL's search params named `names` as filters, and a setter that goes back to the first page. */
export function useUrlFilters<K extends string>(names: readonly K[], prefix = "") {
  const [params, setParams] = useSearchParams();
  const values = useMemo(
    () => Object.fromEntries(names.map((name) => [name, params.get(prefix + name) ?? undefined])) as Record<K, string | undefined>,
    // names are constant per screen
    [params, prefix],
  );
  const setFilters = useCallback(
    (changes: Partial<Record<K, string | null | undefined>>) =>
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          for (const [name, value] of Object.entries(changes) as [K, string | null | undefined][]) {
            if (value === undefined || value === null || value === "") next.delete(prefix + name);
            else next.set(prefix + name, value);
          }
          next.delete(`${prefix}cursor`);
          next.delete(`${prefix}back`);
          return next;
        },
        { replace: true },
      ),
    [setParams, prefix],
  );
  return [values, setFilters] as const;
}

/** One page of a cursor list, the page kept in the URL; `next()`/`prev()` move by the API's cursors. */
export function useCursorPage<T>(
  key: QueryKey,
  fetchPage: (cursor: string | undefined) => Promise<CursorPage<T>>,
  { prefix = "", enabled = true }: { prefix?: string; enabled?: boolean } = {},
) {
  const [params, setParams] = useSearchParams();
  const cursor = params.get(`${prefix}cursor`) ?? undefined;
  const back = (params.get(`${prefix}back`) ?? "").split(".").filter(Boolean);
  const query = useQuery({
    queryKey: [...key, "cursor", cursor ?? ""],
    queryFn: () => fetchPage(cursor),
    placeholderData: keepPreviousData,
    enabled,
  });

  const move = (nextCursor: string | undefined, nextBack: string[]) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      if (nextCursor) next.set(`${prefix}cursor`, nextCursor);
      else next.delete(`${prefix}cursor`);
      if (nextBack.length) next.set(`${prefix}back`, nextBack.join("."));
      else next.delete(`${prefix}back`);
      return next;
    });

  const nextCursor = query.data?.next_cursor ?? undefined;
  return {
    query,
    items: query.data?.items ?? [],
    /** 1-based number of the page shown. */
    number: cursor === undefined ? 1 : back.length + 2,
    hasNext: nextCursor !== undefined && !query.isPlaceholderData,
    hasPrev: cursor !== undefined,
    next: () => nextCursor && move(nextCursor, cursor ? [...back, cursor] : []),
    prev: () => move(back.at(-1) || undefined, back.slice(0, -1)),
    first: () => move(undefined, []),
  };
}

export type CursorPageState<T> = ReturnType<typeof useCursorPage<T>>;
