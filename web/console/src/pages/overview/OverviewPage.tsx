/**
 * 总览 (领导驾驶舱): every active plan and every unit across plans, open work by light, overdue and closed work and
 * report punctuality, worst first as GET /v1/overview orders them. Read-only for everyone: the page has no change
 * button. The API returns whole lists (no cursor), so the tables page locally.
 */
import { useQuery } from "@tanstack/react-query";
import { Table, Typography } from "antd";
import { Link } from "react-router-dom";
import type { components } from "../../api/tasks";
import { Light } from "../../components/Light";
import { ProblemAlert } from "../../components/ProblemAlert";
import { call, tasks } from "../../lib/client";
import { useT } from "../../lib/i18n";
import { worstLight } from "../plans/labels";

type Row = components["schemas"]["OverviewRow"];

export function OverviewPage() {
  const t = useT();
  const overview = useQuery({ queryKey: ["overview"], queryFn: () => call(tasks.GET("/v1/overview")) });
  const rate = (row: Row) =>
    row.on_time_report_rate == null ? "—" : `${Math.round(row.on_time_report_rate * 100)}%`;
  const columns = (nameTitle: string, link: boolean) => [
    { title: t("灯", "Light"), width: 90, render: (_: unknown, row: Row) => <Light light={worstLight(row)} /> },
    {
      title: nameTitle,
      render: (_: unknown, row: Row) => (link ? <Link to={`/plans/${row.id}`}>{row.name}</Link> : row.name),
    },
    { title: t("红/黄/绿", "Red/yellow/green"), width: 120, render: (_: unknown, r: Row) => `${r.red} / ${r.yellow} / ${r.green}` },
    { title: t("逾期", "Overdue"), dataIndex: "overdue", width: 80 },
    { title: t("已办结", "Closed"), dataIndex: "closed", width: 80 },
    { title: t("任务数", "Assignments"), dataIndex: "assignments", width: 90 },
    { title: t("按时报送率", "Reports on time"), width: 120, render: (_: unknown, r: Row) => rate(r) },
  ];
  const data = overview.data;

  return (
    <>
      <Typography.Title level={3}>{t("总览", "Overview")}</Typography.Title>
      <ProblemAlert error={overview.error} onReload={() => overview.refetch()} style={{ marginBottom: 16 }} />
      {data && (
        <Typography.Paragraph>
          {t(`截至 ${data.as_of}：`, `As of ${data.as_of}: `)}
          {t(
            `${data.totals.plans} 个执行中的计划，${data.totals.assignments} 项任务，逾期 ${data.totals.overdue} 项，按时报送率 ${rate(data.totals)}`,
            `${data.totals.plans} active plans, ${data.totals.assignments} assignments, ${data.totals.overdue} overdue, reports on time ${rate(data.totals)}`,
          )}
        </Typography.Paragraph>
      )}
      <Typography.Title level={4}>{t("各计划", "Plans")}</Typography.Title>
      <Table<Row>
        rowKey="id"
        size="middle"
        loading={overview.isLoading}
        dataSource={data?.plans ?? []}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        locale={{ emptyText: t("暂无执行中的计划", "No active plans") }}
        columns={columns(t("计划", "Plan"), true)}
        style={{ marginBottom: 24 }}
      />
      <Typography.Title level={4}>{t("各单位", "Units")}</Typography.Title>
      <Table<Row>
        rowKey="id"
        size="middle"
        loading={overview.isLoading}
        dataSource={data?.units ?? []}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        locale={{ emptyText: t("暂无单位", "No units") }}
        columns={columns(t("单位", "Unit"), false)}
      />
    </>
  );
}
