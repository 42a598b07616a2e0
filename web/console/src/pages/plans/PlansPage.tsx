/**
 * 计划: the plans, newest first, each with its light (the worst of its open assignments, from the overview), found
 * by words in the title or by status; search and status live in the URL. The office imports a new plan from here.
 */
import { useQuery } from "@tanstack/react-query";
import { Button, Input, Select, Space, Table, Tag, Typography } from "antd";
import { Link, useNavigate } from "react-router-dom";
import type { components } from "../../api/tasks";
import { CursorPager, pagedTable } from "../../components/CursorPager";
import { Light } from "../../components/Light";
import { ProblemAlert } from "../../components/ProblemAlert";
import { call, tasks } from "../../lib/client";
import { useT } from "../../lib/i18n";
import { hasRole, useCanChange, useMe } from "../../lib/me";
import { useCursorPage, useUrlFilters } from "../../lib/paging";
import { planStatus, worstLight } from "./labels";

type Plan = components["schemas"]["PlanSummary"];
type PlanState = NonNullable<Plan["status"]>;

export function PlansPage() {
  const t = useT();
  const me = useMe();
  const canChange = useCanChange();
  const navigate = useNavigate();
  const [filters, setFilters] = useUrlFilters(["q", "status"] as const);
  const page = useCursorPage<Plan>(["plans", filters], (cursor) =>
    call(
      tasks.GET("/v1/plans", {
        params: { query: { limit: 20, cursor, q: filters.q, status: filters.status as PlanState | undefined } },
      }),
    ),
  );
  // the overview counts each active plan's open assignments by light; a unit may not read it, and needs no lights
  const overview = useQuery({
    queryKey: ["overview"],
    queryFn: () => call(tasks.GET("/v1/overview")),
    enabled: hasRole(me, "admin", "office", "leader"),
  });
  const lights = new Map((overview.data?.plans ?? []).map((row) => [row.id, row]));
  const statuses = planStatus(t);

  return (
    <>
      <Space style={{ width: "100%", justifyContent: "space-between", marginBottom: 16 }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t("计划", "Plans")}
        </Typography.Title>
        <Space wrap>
          <Input.Search
            aria-label={t("搜索计划", "Search plans")}
            placeholder={t("按标题搜索", "Search by title")}
            key={filters.q ?? ""}
            defaultValue={filters.q}
            allowClear
            onSearch={(q) => setFilters({ q })}
            style={{ width: 240 }}
          />
          <Select
            aria-label={t("状态", "Status")}
            placeholder={t("全部状态", "Any status")}
            allowClear
            value={filters.status}
            onChange={(status) => setFilters({ status })}
            options={Object.entries(statuses).map(([value, label]) => ({ value, label }))}
            style={{ width: 140 }}
          />
          {canChange && (
            <Button type="primary" onClick={() => navigate("/imports")}>
              {t("导入计划", "Import a plan")}
            </Button>
          )}
        </Space>
      </Space>
      <ProblemAlert error={page.query.error} onReload={() => page.query.refetch()} style={{ marginBottom: 16 }} />
      <Table<Plan>
        rowKey="id"
        size="middle"
        {...pagedTable(page)}
        locale={{ emptyText: t("暂无计划", "No plans") }}
        columns={[
          {
            title: t("灯", "Light"),
            width: 90,
            render: (_, plan) => {
              const row = lights.get(plan.id);
              return row ? <Light light={worstLight(row)} /> : <Typography.Text type="secondary">—</Typography.Text>;
            },
          },
          { title: t("计划", "Plan"), render: (_, plan) => <Link to={`/plans/${plan.id}`}>{plan.title}</Link> },
          { title: t("文号", "Document no."), dataIndex: "doc_number", width: 180, render: (v) => v ?? "—" },
          { title: t("印发日期", "Issued"), dataIndex: "issued_on", width: 120, render: (v) => v ?? "—" },
          {
            title: t("状态", "Status"),
            dataIndex: "status",
            width: 100,
            render: (status: string) => <Tag>{statuses[status] ?? status}</Tag>,
          },
          {
            title: t("红/黄/绿", "Red/yellow/green"),
            width: 120,
            render: (_, plan) => {
              const row = lights.get(plan.id);
              return row ? `${row.red} / ${row.yellow} / ${row.green}` : "—";
            },
          },
        ]}
      />
      <CursorPager page={page} />
    </>
  );
}
