/** The plan's particulars as the draft read them (title, 文号, issuer, date), corrected before accepting: the
 * issuer decides which units the draft's unit names are matched among. */
import { Button, Card, Form, Input } from "antd";
import type { components } from "../../api/tasks";
import { useT } from "../../lib/i18n";
import type { Draft } from "./draft";

type PlanMeta = components["schemas"]["PlanMeta"];

export function PlanMetaForm({ draft, readOnly, busy, onSave }: { draft: Draft; readOnly: boolean; busy: boolean; onSave: (plan: PlanMeta) => void }) {
  const t = useT();
  const plan = draft.draft.plan ?? {};
  return (
    <Card size="small" title={t("计划信息", "The plan")}>
      <Form<PlanMeta>
        key={draft.version}
        layout="inline"
        initialValues={plan}
        disabled={readOnly}
        onFinish={(values) => onSave({ ...plan, ...values, issued_on: values.issued_on || null })}
      >
        <Form.Item name="title" label={t("标题", "Title")}>
          <Input style={{ width: 320 }} />
        </Form.Item>
        <Form.Item name="doc_number" label={t("文号", "Document no.")}>
          <Input style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="issuer" label={t("发文单位", "Issuer")}>
          <Input style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="issued_on" label={t("印发日期", "Issued")}>
          <Input type="date" style={{ width: 150 }} />
        </Form.Item>
        {!readOnly && (
          <Button htmlType="submit" loading={busy}>
            {t("保存", "Save")}
          </Button>
        )}
      </Form>
    </Card>
  );
}
