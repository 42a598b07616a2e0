/**
 * 我的任务: the signed-in unit's assignments by due date (the API's order, none last), each with its light, and a
 * 签收 button on those not yet signed for. A list rather than a table, so it reads on a phone (375 px).
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Button, Card, List, Space, Tag, Typography } from "antd";
import { Link } from "react-router-dom";
import { CursorPager } from "../../components/CursorPager";
import { Light } from "../../components/Light";
import { ProblemAlert } from "../../components/ProblemAlert";
import { call, ifMatch, read, tasks } from "../../lib/client";
import { useI18n } from "../../lib/i18n";
import { useCursorPage } from "../../lib/paging";
import type { Assignment } from "./AssignmentActions";

export const STATE_NAMES: Record<string, [string, string]> = {
  assigned: ["待签收", "To sign for"],
  acknowledged: ["已签收", "Signed for"],
  in_progress: ["办理中", "In progress"],
  completion_requested: ["申请办结", "Asked to close"],
  closed: ["已办结", "Closed"],
};

/** 签收 from a list: the list carries no ETag, so the assignment is read first and its ETag sent back. */
function SignFor({ id }: { id: number }) {
  const { t } = useI18n();
  const queries = useQueryClient();
  const sign = useMutation({
    mutationFn: async () => {
      const { etag } = await read(tasks.GET("/v1/assignments/{assignment_id}", { params: { path: { assignment_id: id } } }));
      return call(
        tasks.POST("/v1/assignments/{assignment_id}/transitions", {
          params: { path: { assignment_id: id }, header: ifMatch(etag) },
          body: { action: "acknowledge" },
        }),
      );
    },
    onSuccess: () => queries.invalidateQueries(), // the list, 待办 and the assignment's page all changed
  });
  return (
    <Space direction="vertical" size={4}>
      <Button type="primary" size="small" loading={sign.isPending} onClick={() => sign.mutate()}>
        {t("签收", "Sign for")}
      </Button>
      <ProblemAlert error={sign.error} />
    </Space>
  );
}

export function MyTasksPage() {
  const { t, lang } = useI18n();
  const page = useCursorPage<Assignment>(["my-assignments"], (cursor) =>
    call(tasks.GET("/v1/me/assignments", { params: { query: { limit: 20, cursor } } })),
  );
  return (
    <Card title={t("我的任务", "My tasks")} data-testid="my-tasks">
      <ProblemAlert error={page.query.error} onReload={() => page.query.refetch()} />
      <List
        loading={page.query.isPending}
        locale={{ emptyText: <Typography.Text type="secondary">{t("暂无任务", "No tasks")}</Typography.Text> }}
        dataSource={page.items}
        renderItem={(a) => {
          const [zh, en] = STATE_NAMES[a.state] ?? [a.state, a.state];
          return (
            <List.Item key={a.id} actions={a.state === "assigned" ? [<SignFor key="sign" id={a.id} />] : []}>
              <Space direction="vertical" size={2} style={{ minWidth: 0 }}>
                <Link to={`/assignments/${a.id}`}>
                  {a.task_number ? `${a.task_number} ` : ""}
                  {a.task_title}
                </Link>
                <Space wrap size={4}>
                  <Light light={a.light} reason={lang === "en" ? a.light_reason.text : a.light_reason.text_zh} />
                  <Tag>{t(zh, en)}</Tag>
                  {a.role === "lead" ? <Tag>{t("牵头", "Lead")}</Tag> : <Tag>{t("配合", "Cooperating")}</Tag>}
                  <Typography.Text type="secondary">
                    {a.due_on ? t(`${a.due_on} 前`, `by ${a.due_on}`) : t("无期限", "No deadline")}
                  </Typography.Text>
                </Space>
                {a.return_reason && a.state === "in_progress" && (
                  <Typography.Text type="danger">
                    {t("退回意见：", "Returned: ")}
                    {a.return_reason}
                  </Typography.Text>
                )}
              </Space>
            </List.Item>
          );
        }}
      />
      <CursorPager page={page} />
    </Card>
  );
}
