/**
 * Reads that keep their ETag, for changes that send it back as If-Match: a change made on stale data answers 412
 * (`stale_etag`), which ProblemAlert shows as 「数据已被他人修改，请刷新后重试」 with a button that reads again.
 */
import { type QueryKey, useQuery } from "@tanstack/react-query";
import { read } from "./client";
import { ProblemError } from "../session/api";

export type Tagged<T> = { data: T; etag: string | null };

/** A GET kept with its ETag: `query.data?.data` is the resource, `query.data?.etag` what a change sends. */
export function useTagged<T>(key: QueryKey, get: () => Promise<{ data?: T; error?: unknown; response: Response }>, enabled = true) {
  return useQuery<Tagged<T>>({ queryKey: key, queryFn: () => read(get()), enabled });
}

/** Did the change fail because someone else changed the thing first? */
export function isStale(error: unknown): boolean {
  return error instanceof ProblemError && (error.status === 412 || error.problem.code === "stale_etag");
}
