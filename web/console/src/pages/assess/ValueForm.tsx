/**
 * A unit's value of an indicator for a period, with its evidence: a note (the API's `evidence` text) and/or a file
 * (uploaded to the value once it is saved). A new value is a POST; correcting one reads it first for its ETag and
 * sends it as If-Match (a correction is a new revision the office verifies again). The form checks what it can
 * (the period's form for the indicator's period kind, 0–100 for a percentage); the service's refusals show through
 * ProblemAlert with the fields at fault. When the period already has a value (409 value_exists), it offers to
 * correct that one.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Button, Form, Input, InputNumber, Space, Typography } from "antd";
import { useEffect, useState } from "react";
import { ProblemAlert } from "../../components/ProblemAlert";
import { call, fileForm, ifMatch, read, scoring } from "../../lib/client";
import { useTagged } from "../../lib/etag";
import { useT } from "../../lib/i18n";
import { ProblemError } from "../../session/api";
import { type Indicator, PERIOD_EXAMPLE, PERIOD_FORM } from "./indicators";

type Fields = { period: string; value: number; evidence?: string };

type Props = {
  indicator: Indicator;
  /** The value being corrected; none: a new one. */
  valueId?: number;
  /** Correct this value instead (the period's existing one), or go back to a new one (undefined). */
  onEdit: (valueId: number | undefined) => void;
};

export function ValueForm({ indicator, valueId, onEdit }: Props) {
  const t = useT();
  const queries = useQueryClient();
  const [form] = Form.useForm<Fields>();
  const [file, setFile] = useState<File | null>(null);
  const [fileKey, setFileKey] = useState(0); // remounts the file input to clear it
  const existing = useTagged(["value", valueId], () => scoring.GET("/v1/values/{value_id}", { params: { path: { value_id: valueId! } } }), valueId !== undefined);
  const current = valueId !== undefined ? existing.data?.data : undefined;

  useEffect(() => {
    if (current) form.setFieldsValue({ period: current.period, value: current.value, evidence: current.evidence ?? undefined });
  }, [current, form]);

  const save = useMutation({
    mutationFn: async ({ period, value, evidence }: Fields) => {
      const note = evidence?.trim() || undefined;
      const saved =
        valueId === undefined
          ? await call(scoring.POST("/v1/indicators/{indicator_id}/values", { params: { path: { indicator_id: indicator.id } }, body: { period, value, evidence: note } }))
          : await call(scoring.PATCH("/v1/values/{value_id}", { params: { path: { value_id: valueId }, header: ifMatch(existing.data?.etag) }, body: { value, evidence: note ?? null } }));
      if (file) await read(scoring.POST("/v1/values/{value_id}/attachments", { params: { path: { value_id: saved.id } }, ...fileForm(file) }));
      return saved;
    },
    onSuccess: () => {
      form.resetFields();
      setFile(null);
      setFileKey((k) => k + 1);
      onEdit(undefined);
      queries.invalidateQueries({ queryKey: ["values"] });
      queries.invalidateQueries({ queryKey: ["value"] });
      queries.invalidateQueries({ queryKey: ["evidence"] });
    },
  });
  const exists = save.error instanceof ProblemError && save.error.problem.code === "value_exists" ? (save.error.problem as { value_id?: number | null }).value_id : undefined;
  const percent = indicator.unit === "%";
  const example = PERIOD_EXAMPLE[indicator.period] ?? "2026";

  return (
    <Form form={form} layout="vertical" onFinish={(fields) => save.mutate(fields)} style={{ maxWidth: 560 }}>
      <ProblemAlert
        error={save.error ?? existing.error}
        onReload={() => {
          save.reset();
          existing.refetch();
        }}
        style={{ marginBottom: 8 }}
      />
      {exists && (
        <Button
          style={{ marginBottom: 8 }}
          onClick={() => {
            save.reset();
            onEdit(exists);
          }}
        >
          {t("修改该期已填数值", "Correct that period's value")}
        </Button>
      )}
      {current && (
        <Typography.Paragraph>
          {t(`修改 ${current.period} 期数值（第 ${current.revision} 版）`, `Correcting ${current.period} (revision ${current.revision})`)}
        </Typography.Paragraph>
      )}
      <Form.Item
        name="period"
        label={t("期别", "Period")}
        rules={[
          { required: true, message: t("请填写期别", "Enter the period") },
          { pattern: PERIOD_FORM[indicator.period], message: t(`期别格式应为 ${example}`, `A period looks like ${example}`) },
        ]}
      >
        <Input placeholder={example} disabled={valueId !== undefined} style={{ width: 180 }} />
      </Form.Item>
      <Form.Item
        name="value"
        label={t("数值", "Value")}
        rules={[
          { required: true, message: t("请填写数值", "Enter the value") },
          ...(percent ? [{ type: "number" as const, min: 0, max: 100, message: t("百分比应在 0 到 100 之间", "A percentage is between 0 and 100") }] : []),
        ]}
      >
        <InputNumber suffix={indicator.unit || undefined} style={{ width: 220 }} />
      </Form.Item>
      <Form.Item name="evidence" label={t("证据说明", "Evidence note")}>
        <Input.TextArea rows={3} maxLength={20000} placeholder={t("如：2026年省抽查报告", "e.g. the province's 2026 inspection report")} />
      </Form.Item>
      <Form.Item label={t("证据文件", "Evidence file")}>
        <input key={fileKey} type="file" aria-label={t("证据文件", "Evidence file")} onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      </Form.Item>
      <Space>
        <Button type="primary" htmlType="submit" loading={save.isPending} disabled={valueId !== undefined && !existing.data}>
          {valueId === undefined ? t("提交数值", "Submit value") : t("保存修改", "Save correction")}
        </Button>
        {valueId !== undefined && (
          <Button
            onClick={() => {
              save.reset();
              form.resetFields();
              onEdit(undefined);
            }}
          >
            {t("取消修改", "Cancel")}
          </Button>
        )}
      </Space>
    </Form>
  );
}
