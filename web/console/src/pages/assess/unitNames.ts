/** Units' names for the ids a page shows (values carry only `unit_id`): one `GET /v1/units?id=…` per set of ids. */
import { useQuery } from "@tanstack/react-query";
import { call, tasks } from "../../lib/client";

export function useUnitNames(ids: number[]): (id: number) => string {
  const wanted = [...new Set(ids)].sort((a, b) => a - b).slice(0, 200);
  const units = useQuery({
    queryKey: ["unit-names", wanted],
    queryFn: () => call(tasks.GET("/v1/units", { params: { query: { id: wanted, limit: wanted.length } } })),
    enabled: wanted.length > 0,
    staleTime: 5 * 60_000,
  });
  const names = new Map((units.data?.items ?? []).map((u) => [u.id, u.name]));
  return (id) => names.get(id) ?? `#${id}`;
}
