/**
 * The selected task, corrected before accepting: its title and measures, and its lead and cooperating units (the
 * names as the document writes them; a name no unit matches then shows among the unknown units to map). Saving
 * sends the whole task list with this one changed (the draft's PATCH replaces the list), with the draft's ETag.
 */
import { Button, Card, Form, Input, Select } from "antd";
import { useT } from "../../lib/i18n";
import type { Draft, DraftTask } from "./draft";

type Fields = Pick<DraftTask, "title" | "measures" | "lead_units" | "cooperating_units">;

/** The draft's task list with the task at `index` changed by `fields`. */
export function tasksWith(draft: Draft, index: number, fields: Fields): DraftTask[] {
  return (draft.draft.tasks ?? []).map((task, i) => (i === index ? { ...task, ...fields } : task));
}

export function DraftTaskEditor(props: { draft: Draft; index: number; readOnly: boolean; busy: boolean; onSave: (tasks: DraftTask[]) => void }) {
  const { draft, index, readOnly, busy, onSave } = props;
  const t = useT();
  const task = draft.draft.tasks?.[index];
  if (!task) return null;
  const names = (draft.draft.units ?? []).map((unit) => ({ value: unit.name, label: unit.name }));
  return (
    <Card size="small" title={t(`任务 ${task.number ?? index + 1}`, `Task ${task.number ?? index + 1}`)} style={{ marginTop: 12 }}>
      <Form<Fields>
        key={`${draft.version}-${index}`}
        layout="vertical"
        initialValues={{ title: task.title, measures: task.measures, lead_units: task.lead_units ?? [], cooperating_units: task.cooperating_units ?? [] }}
        disabled={readOnly}
        onFinish={(fields) => onSave(tasksWith(draft, index, fields))}
      >
        <Form.Item name="title" label={t("任务", "Task")} rules={[{ required: true, message: t("请填写任务", "The task needs a title") }]}>
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 3 }} />
        </Form.Item>
        <Form.Item name="measures" label={t("具体措施", "Measures")}>
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} />
        </Form.Item>
        <Form.Item name="lead_units" label={t("牵头单位", "Lead units")}>
          <Select mode="tags" options={names} tokenSeparators={["、", ","]} />
        </Form.Item>
        <Form.Item name="cooperating_units" label={t("配合单位", "Cooperating units")}>
          <Select mode="tags" options={names} tokenSeparators={["、", ","]} />
        </Form.Item>
        {!readOnly && (
          <Button htmlType="submit" loading={busy}>
            {t("保存任务", "Save the task")}
          </Button>
        )}
      </Form>
    </Card>
  );
}
