/**
 * 指标: the indicators the caller sees (a unit: those it reports), of the plan chosen or of every plan, paged by the
 * API's cursors; the plan lives in the URL (`?plan=`). Each row shows its target, unit of measure and period as the
 * API gives them, and opens to the values entered so far; its name leads to the indicator's page (entry, evidence).
 */
import { useQuery } from "@tanstack/react-query";
import { List, Select, Space, Table, Tag, Typography } from "antd";
import { Link } from "react-router-dom";
import { CursorPager, pagedTable } from "../../components/CursorPager";
import { ProblemAlert } from "../../components/ProblemAlert";
import { call, scoring, tasks } from "../../lib/client";
import { useT } from "../../lib/i18n";
import { useCursorPage, useUrlFilters } from "../../lib/paging";
import { type Indicator, periodKind, targetText, valueStatus } from "./indicators";
import { useUnitNames } from "./unitNames";

/** The first values of an indicator, newest revision each, under its row. */
function ValuesBrief({ indicator }: { indicator: Indicator }) {
  const t = useT();
  const values = useQuery({
    queryKey: ["values", indicator.id, "brief"],
    queryFn: () => call(scoring.GET("/v1/indicators/{indicator_id}/values", { params: { path: { indicator_id: indicator.id }, query: { limit: 20 } } })),
  });
  const items = values.data?.items ?? [];
  const unitName = useUnitNames(items.map((v) => v.unit_id));
  const statuses = valueStatus(t);
  return (
    <>
      <ProblemAlert error={values.error} onReload={() => values.refetch()} />
      <List
        size="small"
        loading={values.isPending}
        locale={{ emptyText: t("尚未填报", "No values yet") }}
        dataSource={items}
        renderItem={(v) => (
          <List.Item key={v.id}>
            <Space wrap>
              <span>{unitName(v.unit_id)}</span>
              <span>{v.period}</span>
              <strong>{`${v.value}${indicator.unit ?? ""}`}</strong>
              <Tag>{statuses[v.status] ?? v.status}</Tag>
            </Space>
          </List.Item>
        )}
      />
      {values.data?.next_cursor && (
        <Link to={`/indicators/${indicator.id}`}>{t("查看全部数值", "All values")}</Link>
      )}
    </>
  );
}

export function IndicatorsPage() {
  const t = useT();
  const [filters, setFilters] = useUrlFilters(["plan"] as const);
  const planId = filters.plan ? Number(filters.plan) : undefined;
  const page = useCursorPage<Indicator>(["indicators", planId ?? ""], (cursor) =>
    call(scoring.GET("/v1/indicators", { params: { query: { limit: 20, cursor, plan_id: planId } } })),
  );
  // the plans to choose from (a unit's: those it has work in); 100 is more than a county runs at once
  const plans = useQuery({ queryKey: ["plans", "picker"], queryFn: () => call(tasks.GET("/v1/plans", { params: { query: { limit: 100 } } })) });
  const planTitle = new Map((plans.data?.items ?? []).map((p) => [p.id, p.title]));
  const kinds = periodKind(t);

  return (
    <>
      <Space style={{ width: "100%", justifyContent: "space-between", marginBottom: 16 }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t("指标", "Indicators")}
        </Typography.Title>
        <Select
          aria-label={t("计划", "Plan")}
          placeholder={t("全部计划", "Every plan")}
          allowClear
          showSearch
          optionFilterProp="label"
          loading={plans.isLoading}
          value={planId}
          onChange={(plan?: number) => setFilters({ plan: plan === undefined ? undefined : String(plan) })}
          options={(plans.data?.items ?? []).map((p) => ({ value: p.id, label: p.title }))}
          style={{ width: 360 }}
        />
      </Space>
      <ProblemAlert error={plans.error} style={{ marginBottom: 16 }} />
      <ProblemAlert error={page.query.error} onReload={() => page.query.refetch()} style={{ marginBottom: 16 }} />
      <Table<Indicator>
        rowKey="id"
        size="middle"
        {...pagedTable(page)}
        locale={{ emptyText: t("暂无指标", "No indicators") }}
        expandable={{ expandedRowRender: (i) => <ValuesBrief indicator={i} /> }}
        columns={[
          {
            title: t("指标", "Indicator"),
            render: (_, i) => (
              <Space direction="vertical" size={0}>
                <Link to={`/indicators/${i.id}`}>{i.name}</Link>
                {!planId && <Typography.Text type="secondary">{planTitle.get(i.plan_id) ?? t(`计划 ${i.plan_id}`, `Plan ${i.plan_id}`)}</Typography.Text>}
              </Space>
            ),
          },
          { title: t("目标", "Target"), width: 200, render: (_, i) => targetText(t, i) },
          { title: t("计量单位", "Unit"), width: 100, render: (_, i) => i.unit ?? "—" },
          { title: t("填报周期", "Period"), width: 100, render: (_, i) => kinds[i.period] ?? i.period },
          { title: t("分值", "Points"), dataIndex: "weight", width: 80 },
          {
            title: t("状态", "Status"),
            width: 100,
            render: (_, i) => (i.status === "draft" ? <Tag>{t("草稿", "Draft")}</Tag> : <Tag>{t("启用", "Active")}</Tag>),
          },
        ]}
      />
      <CursorPager page={page} />
    </>
  );
}
