/**
 * An assignment's reports (进展报告): the unit writes one with an optional file; the office accepts it or returns it
 * with a reason. A review reads the report first for its ETag (the list carries none) and sends it as If-Match.
 * Each attachment downloads under its own name (fetched with the bearer token, `saveFile`).
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button, Card, Form, Input, InputNumber, List, Space, Tag, Typography } from "antd";
import { useState } from "react";
import { ProblemAlert } from "../../components/ProblemAlert";
import { call, fileForm, ifMatch, read, tasks } from "../../lib/client";
import { saveFile } from "../../lib/download";
import { useT } from "../../lib/i18n";
import type { operations } from "../../api/tasks";

type Report = operations["get_report"]["responses"][200]["content"]["application/json"];
type Attachment = Report["attachments"][number];

const REPORT_STATES: Record<string, [string, string]> = {
  submitted: ["待审核", "Awaiting review"],
  accepted: ["已采纳", "Accepted"],
  returned: ["已退回", "Returned"],
};

function NewReport({ assignmentId }: { assignmentId: number }) {
  const t = useT();
  const queries = useQueryClient();
  const [form] = Form.useForm<{ text: string; percent: number }>();
  const [file, setFile] = useState<File | null>(null);
  const submit = useMutation({
    mutationFn: async (values: { text: string; percent: number }) => {
      const report = await call(
        tasks.POST("/v1/assignments/{assignment_id}/reports", { params: { path: { assignment_id: assignmentId } }, body: values }),
      );
      if (file) {
        await call(tasks.POST("/v1/reports/{report_id}/attachments", { params: { path: { report_id: report.id } }, ...fileForm(file) }));
      }
    },
    onSuccess: () => {
      form.resetFields();
      setFile(null);
      queries.invalidateQueries();
    },
  });
  return (
    <Form form={form} layout="vertical" onFinish={(values) => submit.mutate(values)} initialValues={{ percent: 0 }}>
      <ProblemAlert error={submit.error} style={{ marginBottom: 8 }} />
      <Form.Item name="text" label={t("进展情况", "Progress")} rules={[{ required: true, message: t("请填写进展情况", "Say what was done") }]}>
        <Input.TextArea rows={3} />
      </Form.Item>
      <Form.Item name="percent" label={t("完成百分比", "Percent complete")}>
        <InputNumber min={0} max={100} addonAfter="%" />
      </Form.Item>
      <Form.Item label={t("附件", "Attachment")}>
        <input type="file" aria-label={t("附件", "Attachment")} onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={submit.isPending}>
        {t("提交报告", "Submit report")}
      </Button>
    </Form>
  );
}

function AttachmentLink({ reportId, attachment }: { reportId: number; attachment: Attachment }) {
  const t = useT();
  const get = useMutation({
    mutationFn: async () => {
      const path = { report_id: reportId, attachment_id: attachment.id };
      const blob = await call(tasks.GET("/v1/reports/{report_id}/attachments/{attachment_id}", { params: { path }, headers: { Accept: "*/*" }, parseAs: "blob" }));
      saveFile(blob as Blob, attachment.filename);
    },
  });
  return (
    <Space direction="vertical" size={2}>
      <Button type="link" size="small" style={{ padding: 0 }} loading={get.isPending} onClick={() => get.mutate()} aria-label={t(`下载附件 ${attachment.filename}`, `Download ${attachment.filename}`)}>
        📎 {attachment.filename}
      </Button>
      <ProblemAlert error={get.error} />
    </Space>
  );
}

function Review({ report }: { report: Report }) {
  const t = useT();
  const queries = useQueryClient();
  const [reason, setReason] = useState("");
  const review = useMutation({
    mutationFn: async (decision: "accept" | "return") => {
      const path = { report_id: report.id };
      const { etag } = await read(tasks.GET("/v1/reports/{report_id}", { params: { path } }));
      const body = decision === "return" ? { decision, comment: reason.trim() } : { decision };
      return call(tasks.POST("/v1/reports/{report_id}/review", { params: { path, header: ifMatch(etag) }, body }));
    },
    onSuccess: () => queries.invalidateQueries(),
  });
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <ProblemAlert error={review.error} />
      <Input.TextArea aria-label={t("退回理由", "Reason to return")} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
      <Space wrap>
        <Button type="primary" loading={review.isPending && review.variables === "accept"} onClick={() => review.mutate("accept")}>
          {t("采纳", "Accept")}
        </Button>
        <Button danger disabled={!reason.trim()} loading={review.isPending && review.variables === "return"} onClick={() => review.mutate("return")}>
          {t("退回报告", "Return report")}
        </Button>
      </Space>
    </Space>
  );
}

export function AssignmentReports({ assignmentId, side }: { assignmentId: number; side: "unit" | "office" | "none" }) {
  const t = useT();
  const reports = useQuery({
    queryKey: ["assignment-reports", assignmentId],
    queryFn: () => call(tasks.GET("/v1/assignments/{assignment_id}/reports", { params: { path: { assignment_id: assignmentId }, query: { limit: 50 } } })),
  });
  return (
    <Card title={t("进展报告", "Reports")} data-testid="reports">
      <ProblemAlert error={reports.error} onReload={() => reports.refetch()} />
      <List
        loading={reports.isPending}
        locale={{ emptyText: <Typography.Text type="secondary">{t("暂无报告", "No reports yet")}</Typography.Text> }}
        dataSource={reports.data?.items ?? []}
        renderItem={(r) => {
          const [zh, en] = REPORT_STATES[r.state] ?? [r.state, r.state];
          return (
            <List.Item key={r.id}>
              <Space direction="vertical" size={4} style={{ width: "100%" }}>
                <Space wrap size={4}>
                  <Tag>{t(zh, en)}</Tag>
                  <Typography.Text type="secondary">
                    {t(`${r.period_due_on} 期 · ${r.percent}%`, `period ${r.period_due_on} · ${r.percent}%`)}
                  </Typography.Text>
                  {r.late && <Tag color="orange">{t("逾期报送", "Late")}</Tag>}
                </Space>
                <Typography.Paragraph style={{ marginBottom: 0, whiteSpace: "pre-wrap" }}>{r.text}</Typography.Paragraph>
                {r.attachments.map((a) => (
                  <AttachmentLink key={a.id} reportId={r.id} attachment={a} />
                ))}
                {r.review_comment && (
                  <Typography.Text type={r.state === "returned" ? "danger" : "secondary"}>
                    {t("审核意见：", "Review: ")}
                    {r.review_comment}
                  </Typography.Text>
                )}
                {side === "office" && r.state === "submitted" && <Review report={r} />}
              </Space>
            </List.Item>
          );
        }}
      />
      {side === "unit" && <NewReport assignmentId={assignmentId} />}
    </Card>
  );
}
