/** 单位看板: each unit's assignments in the plan by light, closed (and closed late), reports on time; then what is
 * overdue, longest first as the API orders it. */
import type { UseQueryResult } from "@tanstack/react-query";
import { Card, Table, Typography } from "antd";
import type { components } from "../../api/tasks";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useT } from "../../lib/i18n";

type Board = components["schemas"]["Board"];

export function UnitBoard({ board }: { board: UseQueryResult<Board> }) {
  const t = useT();
  if (board.error) return <ProblemAlert error={board.error} onReload={() => board.refetch()} />;
  return (
    <>
      <Typography.Paragraph type="secondary">
        {board.data ? t(`截至 ${board.data.as_of}`, `As of ${board.data.as_of}`) : ""}
      </Typography.Paragraph>
      <Table
        rowKey="unit_id"
        size="small"
        loading={board.isPending}
        dataSource={board.data?.units ?? []}
        pagination={false}
        locale={{ emptyText: t("暂无单位", "No units") }}
        columns={[
          { title: t("单位", "Unit"), dataIndex: "unit_name" },
          { title: t("任务数", "Assignments"), dataIndex: "assignments", width: 90 },
          { title: t("红灯", "Red"), dataIndex: "red", width: 70 },
          { title: t("黄灯", "Yellow"), dataIndex: "yellow", width: 70 },
          { title: t("绿灯", "Green"), dataIndex: "green", width: 70 },
          {
            title: t("已办结（逾期）", "Closed (late)"),
            width: 120,
            render: (_, row) => `${row.closed}（${row.closed_late}）`,
          },
          {
            title: t("按时汇报率", "Reports on time"),
            width: 120,
            render: (_, row) => (row.on_time_report_rate == null ? "—" : `${Math.round(row.on_time_report_rate * 100)}%`),
          },
        ]}
      />
      <Card size="small" title={t("逾期任务", "Overdue")} style={{ marginTop: 16 }}>
        <Table
          rowKey="assignment_id"
          size="small"
          dataSource={board.data?.overdue ?? []}
          pagination={false}
          locale={{ emptyText: t("没有逾期任务", "Nothing overdue") }}
          columns={[
            { title: t("编号", "No."), dataIndex: "task_number", width: 90 },
            { title: t("任务", "Task"), dataIndex: "task_title" },
            { title: t("单位", "Unit"), dataIndex: "unit_name", width: 200 },
            { title: t("截止日期", "Due"), dataIndex: "due_on", width: 120 },
            { title: t("逾期天数", "Days overdue"), dataIndex: "days_overdue", width: 100 },
          ]}
        />
      </Card>
    </>
  );
}
