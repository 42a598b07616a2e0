/**
 * 未匹配单位: each unit name the draft writes that no unit of the issuer matches, with a Select offering the units
 * it could mean (the draft's candidates first, then any unit found by the words typed). Choosing one maps the name
 * in the draft (PATCH `units`, the whole list, with the draft's ETag); on accept the name is learned as an alias.
 */
import { useQuery } from "@tanstack/react-query";
import { Card, List, Select, Typography } from "antd";
import { useState } from "react";
import type { components } from "../../api/tasks";
import { call, tasks } from "../../lib/client";
import { useT } from "../../lib/i18n";
import type { Draft } from "./draft";

type UnitChoice = components["schemas"]["UnitChoice"];

/** The draft's unit names with `name` mapped to `unitId`, every other choice kept (the PATCH replaces them all). */
export function unitsWith(draft: Draft, name: string, unitId: number): UnitChoice[] {
  return (draft.draft.units ?? []).map((unit) => ({
    name: unit.name,
    unit_id: unit.name === name ? unitId : ((unit.unit_id as number | null | undefined) ?? null),
    collective: unit.collective,
  }));
}

export function UnitMapping(props: { draft: Draft; readOnly: boolean; busy: boolean; onMap: (name: string, unitId: number) => void }) {
  const { draft, readOnly, busy, onMap } = props;
  const t = useT();
  const unknown = draft.draft.unknown_units ?? [];
  if (unknown.length === 0) return null;
  const candidates = new Map<string, { id: number; name: string }[]>();
  for (const warning of draft.warnings ?? []) {
    if (warning.code === "unit_unknown" && warning.value && warning.candidates?.length) candidates.set(warning.value, warning.candidates);
  }
  return (
    <Card size="small" title={t(`未匹配单位（${unknown.length}）`, `Unknown units (${unknown.length})`)} data-testid="unknown-units">
      <List
        size="small"
        // by name: a mapped name leaves the list, and each picker must stay with its own name
        rowKey={(name) => name}
        dataSource={unknown}
        renderItem={(name) => (
          <List.Item>
            <Typography.Text style={{ minWidth: 120 }}>{name}</Typography.Text>
            {readOnly ? (
              <Typography.Text type="secondary">{t("未匹配", "Not matched")}</Typography.Text>
            ) : (
              <UnitPicker name={name} candidates={candidates.get(name) ?? []} disabled={busy} onPick={(id) => onMap(name, id)} />
            )}
          </List.Item>
        )}
      />
    </Card>
  );
}

function UnitPicker(props: { name: string; candidates: { id: number; name: string }[]; disabled: boolean; onPick: (id: number) => void }) {
  const { name, candidates, disabled, onPick } = props;
  const t = useT();
  const [words, setWords] = useState("");
  const found = useQuery({
    queryKey: ["units", "search", words],
    queryFn: () => call(tasks.GET("/v1/units", { params: { query: { q: words, limit: 20 } } })),
    enabled: words.length > 0,
  });
  const options = [
    ...candidates.map((unit) => ({ value: unit.id, label: unit.name })),
    ...(found.data?.items ?? [])
      .filter((unit) => !candidates.some((c) => c.id === unit.id))
      .map((unit) => ({ value: unit.id, label: unit.name })),
  ];
  return (
    <Select<number>
      aria-label={t(`「${name}」对应的单位`, `The unit “${name}” means`)}
      placeholder={t("选择对应单位，或输入名称搜索", "Choose the unit, or type to search")}
      showSearch
      filterOption={false}
      onSearch={setWords}
      loading={found.isFetching}
      disabled={disabled}
      onChange={onPick}
      options={options}
      notFoundContent={words ? t("没有找到单位", "No unit found") : t("输入名称搜索", "Type to search")}
      style={{ width: 300 }}
    />
  );
}
