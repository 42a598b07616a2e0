/**
 * 延期申请: the unit asks for a later deadline with a reason; the office grants or refuses it. A decision reads the
 * request first for its ETag (the list carries none) and sends it as If-Match.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button, Card, Form, Input, List, Space, Tag, Typography } from "antd";
import { useState } from "react";
import { ProblemAlert } from "../../components/ProblemAlert";
import { call, ifMatch, read, tasks } from "../../lib/client";
import { useT } from "../../lib/i18n";

const EXTENSION_STATES: Record<string, [string, string]> = {
  requested: ["待审批", "Awaiting decision"],
  granted: ["已同意", "Granted"],
  refused: ["不同意", "Refused"],
};

function Decide({ id }: { id: number }) {
  const t = useT();
  const queries = useQueryClient();
  const [comment, setComment] = useState("");
  const decide = useMutation({
    mutationFn: async (decision: "grant" | "refuse") => {
      const path = { extension_id: id };
      const { etag } = await read(tasks.GET("/v1/extensions/{extension_id}", { params: { path } }));
      const body = comment.trim() ? { decision, comment: comment.trim() } : { decision };
      return call(tasks.POST("/v1/extensions/{extension_id}/decision", { params: { path, header: ifMatch(etag) }, body }));
    },
    onSuccess: () => queries.invalidateQueries(), // the deadline and the light change with a grant
  });
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <ProblemAlert error={decide.error} />
      <Input aria-label={t("审批意见", "Comment")} value={comment} onChange={(e) => setComment(e.target.value)} />
      <Space wrap>
        <Button type="primary" loading={decide.isPending && decide.variables === "grant"} onClick={() => decide.mutate("grant")}>
          {t("同意延期", "Grant")}
        </Button>
        <Button danger loading={decide.isPending && decide.variables === "refuse"} onClick={() => decide.mutate("refuse")}>
          {t("不同意", "Refuse")}
        </Button>
      </Space>
    </Space>
  );
}

function RequestExtension({ assignmentId }: { assignmentId: number }) {
  const t = useT();
  const queries = useQueryClient();
  const [form] = Form.useForm<{ requested_due_on: string; reason: string }>();
  const ask = useMutation({
    mutationFn: (body: { requested_due_on: string; reason: string }) =>
      call(tasks.POST("/v1/assignments/{assignment_id}/extensions", { params: { path: { assignment_id: assignmentId } }, body })),
    onSuccess: () => {
      form.resetFields();
      queries.invalidateQueries({ queryKey: ["assignment-extensions", assignmentId] });
    },
  });
  return (
    <Form form={form} layout="vertical" onFinish={(values) => ask.mutate(values)}>
      <ProblemAlert error={ask.error} style={{ marginBottom: 8 }} />
      <Form.Item name="requested_due_on" label={t("申请延期至", "New deadline")} rules={[{ required: true, message: t("请选择日期", "Pick a date") }]}>
        <Input type="date" />
      </Form.Item>
      <Form.Item name="reason" label={t("延期理由", "Reason")} rules={[{ required: true, min: 2, message: t("请填写理由", "Give a reason") }]}>
        <Input.TextArea rows={2} />
      </Form.Item>
      <Button htmlType="submit" loading={ask.isPending}>
        {t("申请延期", "Ask for more time")}
      </Button>
    </Form>
  );
}

export function AssignmentExtensions({ assignmentId, side }: { assignmentId: number; side: "unit" | "office" | "none" }) {
  const t = useT();
  const list = useQuery({
    queryKey: ["assignment-extensions", assignmentId],
    queryFn: () => call(tasks.GET("/v1/assignments/{assignment_id}/extensions", { params: { path: { assignment_id: assignmentId }, query: { limit: 50 } } })),
  });
  return (
    <Card title={t("延期申请", "Extensions")} data-testid="extensions">
      <ProblemAlert error={list.error} onReload={() => list.refetch()} />
      <List
        loading={list.isPending}
        locale={{ emptyText: <Typography.Text type="secondary">{t("暂无延期申请", "No requests")}</Typography.Text> }}
        dataSource={list.data?.items ?? []}
        renderItem={(e) => {
          const [zh, en] = EXTENSION_STATES[e.state] ?? [e.state, e.state];
          return (
            <List.Item key={e.id}>
              <Space direction="vertical" size={4} style={{ width: "100%" }}>
                <Space wrap size={4}>
                  <Tag>{t(zh, en)}</Tag>
                  <Typography.Text>{t(`申请延期至 ${e.requested_due_on}`, `to ${e.requested_due_on}`)}</Typography.Text>
                </Space>
                <Typography.Text type="secondary">{e.reason}</Typography.Text>
                {e.decision_comment && <Typography.Text>{t("审批意见：", "Decision: ")}{e.decision_comment}</Typography.Text>}
                {side === "office" && e.state === "requested" && <Decide id={e.id} />}
              </Space>
            </List.Item>
          );
        }}
      />
      {side === "unit" && <RequestExtension assignmentId={assignmentId} />}
    </Card>
  );
}
