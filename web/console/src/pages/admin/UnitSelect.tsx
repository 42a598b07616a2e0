/**
 * A unit picked by name: the Select asks the API for units matching the words typed (`q` matches the full name,
 * the short name or an alias), so it works with any number of units without loading them all.
 */
import { useQuery } from "@tanstack/react-query";
import { Select } from "antd";
import { useState } from "react";
import { call, tasks } from "../../lib/client";
import { useT } from "../../lib/i18n";

type Props = { id?: string; value?: number | null; onChange?: (value: number | null) => void; "aria-label"?: string };

export function UnitSelect({ id, value, onChange, ...rest }: Props) {
  const t = useT();
  const [words, setWords] = useState("");
  const found = useQuery({
    queryKey: ["unit-choices", words],
    queryFn: () => call(tasks.GET("/v1/units", { params: { query: { limit: 20, q: words || undefined } } })),
  });
  return (
    <Select<number>
      id={id}
      aria-label={rest["aria-label"]}
      showSearch
      allowClear
      filterOption={false}
      onSearch={setWords}
      loading={found.isFetching}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      placeholder={t("输入单位名称查找", "Type a unit's name")}
      notFoundContent={t("没有匹配的单位", "No unit matches")}
      options={(found.data?.items ?? []).map((u) => ({ value: u.id, label: u.short_name ? `${u.name}（${u.short_name}）` : u.name }))}
      style={{ width: 280 }}
    />
  );
}
