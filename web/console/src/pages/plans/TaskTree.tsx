/**
 * 任务分解: a plan's tasks as the document numbers them (一、 > （一） > 1.), a tree table with each task's light,
 * units and deadline. Filters (light, unit, due window) and the search words are in the URL; the API pages the
 * tasks in document order, up to 500 a page, so a plan's tree is almost always whole on one page. A task whose
 * parent is filtered out or on another page shows at the top level.
 */
import { useQuery } from "@tanstack/react-query";
import { Input, Select, Space, Table, Typography } from "antd";
import { useMemo, useState } from "react";
import { CursorPager } from "../../components/CursorPager";
import { Light, type LightColour, lightOptions } from "../../components/Light";
import { ProblemAlert } from "../../components/ProblemAlert";
import { call, tasks } from "../../lib/client";
import { useI18n } from "../../lib/i18n";
import { useCursorPage, useUrlFilters } from "../../lib/paging";
import type { Task } from "./labels";

type Node = Task & { children?: Node[] };

/** The page's tasks as a tree by `parent_id`, in the order the API gave them. */
export function taskTree(items: Task[]): Node[] {
  const nodes = new Map<number, Node>(items.map((task) => [task.id, { ...task }]));
  const roots: Node[] = [];
  for (const task of items) {
    const node = nodes.get(task.id)!;
    const parent = task.parent_id != null ? nodes.get(task.parent_id) : undefined;
    if (parent) (parent.children ??= []).push(node);
    else roots.push(node);
  }
  return roots;
}

export function TaskTree({ planId }: { planId: number }) {
  const { t, lang } = useI18n();
  const [filters, setFilters] = useUrlFilters(["light", "unit", "from", "to", "q"] as const);
  const page = useCursorPage<Task>(["plan-tasks", planId, filters], (cursor) =>
    call(
      tasks.GET("/v1/plans/{plan_id}/tasks", {
        params: {
          path: { plan_id: planId },
          query: {
            limit: 500,
            cursor,
            q: filters.q,
            light: filters.light as LightColour | undefined,
            unit_id: filters.unit ? Number(filters.unit) : undefined,
            due_from: filters.from,
            due_to: filters.to,
          },
        },
      }),
    ),
  );
  const units = useQuery({
    queryKey: ["plan-units", planId],
    queryFn: () => call(tasks.GET("/v1/plans/{plan_id}/units", { params: { path: { plan_id: planId } } })),
  });
  const tree = useMemo(() => taskTree(page.items), [page.items]);
  const [collapsed, setCollapsed] = useState<Set<number>>(new Set());
  const parents = useMemo(() => page.items.filter((task) => page.items.some((other) => other.parent_id === task.id)), [page.items]);

  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          key={filters.q ?? ""}
          aria-label={t("搜索任务", "Search tasks")}
          placeholder={t("搜索任务或措施", "Search tasks and measures")}
          defaultValue={filters.q}
          allowClear
          onSearch={(q) => setFilters({ q })}
          style={{ width: 220 }}
        />
        <Select
          aria-label={t("灯", "Light")}
          placeholder={t("全部灯色", "Any light")}
          allowClear
          value={filters.light}
          onChange={(light) => setFilters({ light })}
          options={lightOptions(t)}
          style={{ width: 120 }}
        />
        <Select
          aria-label={t("责任单位", "Unit")}
          placeholder={t("全部单位", "Any unit")}
          allowClear
          showSearch
          optionFilterProp="label"
          value={filters.unit}
          onChange={(unit) => setFilters({ unit })}
          loading={units.isPending}
          options={(units.data?.units ?? []).map((unit) => ({ value: String(unit.unit_id), label: unit.unit_name }))}
          style={{ width: 220 }}
        />
        <label>
          {t("截止自", "Due from")}{" "}
          <Input type="date" value={filters.from ?? ""} onChange={(e) => setFilters({ from: e.target.value })} style={{ width: 150 }} />
        </label>
        <label>
          {t("至", "to")}{" "}
          <Input type="date" value={filters.to ?? ""} onChange={(e) => setFilters({ to: e.target.value })} style={{ width: 150 }} />
        </label>
      </Space>
      <ProblemAlert error={page.query.error} onReload={() => page.query.refetch()} style={{ marginBottom: 12 }} />
      <Table<Node>
        rowKey="id"
        size="small"
        data-testid="task-tree"
        dataSource={tree}
        loading={page.query.isFetching}
        pagination={false}
        scroll={{ y: 460 }}
        locale={{ emptyText: t("没有符合条件的任务", "No tasks match") }}
        expandable={{
          expandedRowKeys: parents.map((task) => task.id).filter((id) => !collapsed.has(id)),
          onExpand: (open, task) =>
            setCollapsed((now) => {
              const next = new Set(now);
              if (open) next.delete(task.id);
              else next.add(task.id);
              return next;
            }),
        }}
        columns={[
          { title: t("编号", "No."), dataIndex: "number", width: 110, render: (v) => v ?? "" },
          {
            title: t("任务", "Task"),
            dataIndex: "title",
            render: (title: string, task) => (
              <Typography.Text title={task.measures ?? undefined}>{title}</Typography.Text>
            ),
          },
          {
            title: t("牵头单位", "Lead"),
            width: 160,
            render: (_, task) => unitNames(task, "lead"),
          },
          {
            title: t("配合单位", "Cooperating"),
            width: 160,
            render: (_, task) => unitNames(task, "cooperating"),
          },
          {
            title: t("完成时限", "Deadline"),
            width: 140,
            render: (_, task) => task.deadline_text ?? task.due_on ?? "—",
          },
          {
            title: t("灯", "Light"),
            width: 90,
            render: (_, task) => (
              <Light light={task.light} reason={task.light_reason ? (lang === "en" ? task.light_reason.text : task.light_reason.text_zh) : undefined} />
            ),
          },
        ]}
      />
      <CursorPager page={page} />
    </>
  );
}

function unitNames(task: Task, role: "lead" | "cooperating"): string {
  return task.assignments
    .filter((assignment) => assignment.role === role)
    .map((assignment) => assignment.unit_name)
    .join("、");
}
