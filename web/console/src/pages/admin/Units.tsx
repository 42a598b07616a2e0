/**
 * Units (单位): listed by cursor (searched by name with `q`, kept in the URL), created under a parent, renamed
 * (UnitRename, with the unit's ETag). A new name's aliases and contacts stay for the API and the plan importer.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Button, Form, Input, Select, Space, Table } from "antd";
import type { components } from "../../api/tasks";
import { CursorPager, pagedTable } from "../../components/CursorPager";
import { ProblemAlert } from "../../components/ProblemAlert";
import { call, tasks } from "../../lib/client";
import { useT } from "../../lib/i18n";
import { useCursorPage, useUrlFilters } from "../../lib/paging";
import { UnitRename } from "./UnitRename";
import { UnitSelect } from "./UnitSelect";

type Unit = components["schemas"]["UnitRead"];
type Kind = Unit["kind"];
type Values = { name: string; short_name?: string; kind: Kind; parent_id?: number | null };

function kindNames(t: (zh: string, en: string) => string): Record<Kind, string> {
  return {
    government: t("政府", "Government"),
    department: t("部门", "Department"),
    zone_committee: t("园区管委会", "Zone committee"),
    enterprise: t("企业", "Enterprise"),
    association: t("协会", "Association"),
    other: t("其他", "Other"),
  };
}

function NewUnit() {
  const t = useT();
  const queries = useQueryClient();
  const [form] = Form.useForm<Values>();
  const kinds = kindNames(t);
  const create = useMutation({
    mutationFn: (v: Values) =>
      call(tasks.POST("/v1/units", { body: { name: v.name.trim(), short_name: v.short_name?.trim() || null, kind: v.kind, parent_id: v.parent_id ?? null } })),
    onSuccess: () => {
      form.resetFields();
      queries.invalidateQueries({ queryKey: ["units"] });
      queries.invalidateQueries({ queryKey: ["unit-choices"] });
    },
  });
  return (
    <Form form={form} name="new-unit" layout="inline" onFinish={(v) => create.mutate(v)} initialValues={{ kind: "department" }} style={{ marginBottom: 16, rowGap: 8 }} aria-label={t("新建单位", "New unit")}>
      <Form.Item name="name" label={t("单位全称", "Full name")} rules={[{ required: true, min: 2, message: t("请填写单位全称（至少 2 字）", "Enter the full name (2 characters or more)") }]}>
        <Input style={{ width: 240 }} />
      </Form.Item>
      <Form.Item name="short_name" label={t("简称", "Short name")}>
        <Input style={{ width: 120 }} />
      </Form.Item>
      <Form.Item name="kind" label={t("类型", "Kind")}>
        <Select<Kind> style={{ width: 130 }} options={(Object.keys(kinds) as Kind[]).map((k) => ({ value: k, label: kinds[k] }))} />
      </Form.Item>
      <Form.Item name="parent_id" label={t("上级单位", "Parent")}>
        <UnitSelect />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={create.isPending}>
        {t("新建单位", "Create unit")}
      </Button>
      {create.error ? <ProblemAlert error={create.error} style={{ flexBasis: "100%", marginTop: 8 }} /> : null}
    </Form>
  );
}

export function Units() {
  const t = useT();
  const kinds: Record<string, string> = kindNames(t);
  const [filters, setFilters] = useUrlFilters(["q"] as const, "n.");
  const page = useCursorPage<Unit>(
    ["units", filters.q ?? ""],
    (cursor) => call(tasks.GET("/v1/units", { params: { query: { limit: 20, cursor, q: filters.q } } })),
    { prefix: "n." },
  );
  return (
    <>
      <NewUnit />
      <Space style={{ marginBottom: 12 }}>
        <Input.Search
          aria-label={t("查找单位", "Find units")}
          placeholder={t("名称、简称或别名", "Name, short name or alias")}
          defaultValue={filters.q}
          allowClear
          onSearch={(q) => setFilters({ q })}
          style={{ width: 280 }}
        />
      </Space>
      <ProblemAlert error={page.query.error} onReload={() => page.query.refetch()} style={{ marginBottom: 16 }} />
      <Table<Unit>
        rowKey="id"
        size="small"
        {...pagedTable(page)}
        locale={{ emptyText: t("暂无单位", "No units") }}
        columns={[
          { title: "ID", dataIndex: "id", width: 70 },
          { title: t("单位全称", "Full name"), dataIndex: "name" },
          { title: t("简称", "Short name"), width: 140, render: (_, u) => u.short_name ?? "—" },
          { title: t("类型", "Kind"), width: 120, render: (_, u) => kinds[u.kind] ?? u.kind },
          { title: t("上级", "Parent"), width: 80, render: (_, u) => u.parent_id ?? "—" },
          { title: t("操作", "Actions"), width: 100, render: (_, u) => <UnitRename unit={u} /> },
        ]}
      />
      <CursorPager page={page} />
    </>
  );
}
