/** The draft's tasks as read, indented by level; a row is picked by click or keyboard (Enter, Space) to show its
 * words in the document, and a task with a problem says so. */
import { Table, Tag, Typography } from "antd";
import { useT } from "../../lib/i18n";
import type { Draft, DraftTask } from "./draft";


export function DraftTasks({ draft, selected, onSelect }: { draft: Draft; selected: number | null; onSelect: (index: number) => void }) {
  const t = useT();
  const problems = new Map<number, number>();
  for (const warning of draft.warnings ?? []) {
    const index = warning.loc[1] === "tasks" ? warning.loc[2] : undefined;
    if (typeof index === "number") problems.set(index, (problems.get(index) ?? 0) + 1);
  }
  const rows = (draft.draft.tasks ?? []).map((task, index) => ({ ...task, index }));
  return (
    <section aria-label={t("草稿任务", "The draft's tasks")}>
      <Typography.Text strong>{t(`任务（${rows.length}）`, `Tasks (${rows.length})`)}</Typography.Text>
      <Table<DraftTask & { index: number }>
        data-testid="draft-tasks"
        rowKey="index"
        size="small"
        style={{ marginTop: 8 }}
        dataSource={rows}
        pagination={false}
        scroll={{ y: 480 }}
        rowClassName={(row) => (row.index === selected ? "ant-table-row-selected" : "")}
        onRow={(row) => ({
          onClick: () => onSelect(row.index),
          onKeyDown: (event) => {
            if (event.key === "Enter" || event.key === " ") {
              event.preventDefault();
              onSelect(row.index);
            }
          },
          tabIndex: 0,
          "aria-selected": row.index === selected,
          style: { cursor: "pointer" },
        })}
        columns={[
          { title: t("编号", "No."), dataIndex: "number", width: 80, render: (v) => v ?? "" },
          {
            title: t("任务", "Task"),
            render: (_, row) => (
              <span style={{ paddingInlineStart: (row.level ?? 0) * 12 }}>
                {row.title}
                {problems.has(row.index) && (
                  <Tag style={{ marginInlineStart: 6, color: "#873800", background: "#fff7e6", borderColor: "#ffd591" }}>
                    {t(`${problems.get(row.index)} 个问题`, `${problems.get(row.index)} problem(s)`)}
                  </Tag>
                )}
              </span>
            ),
          },
          { title: t("牵头单位", "Lead"), width: 130, render: (_, row) => (row.lead_units ?? []).join("、") },
          { title: t("完成时限", "Deadline"), width: 110, render: (_, row) => row.deadline_text ?? "" },
        ]}
      />
    </section>
  );
}
