/**
 * 待办: what waits for the signed-in user across the three services, in one call (tasks-api's merged queue),
 * by date; a returned item shows the office's reason; a service that did not answer is named, the rest still show.
 */
import { useQuery } from "@tanstack/react-query";
import { Alert, Card, List, Space, Tag, Typography } from "antd";
import type { operations as Tasks } from "../../api/tasks";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useI18n } from "../../lib/i18n";
import { api } from "../../session/api";

type MergedTodoPage = Tasks["list_all_my_todo"]["responses"][200]["content"]["application/json"];


export function Todo() {
  const { t, lang } = useI18n();
  const sources: Record<string, string> = { tasks: t("任务", "Tasks"), scoring: t("考核", "Assessment"), notify: t("消息", "Messages") };
  const todo = useQuery({ queryKey: ["todo"], queryFn: () => api<MergedTodoPage>("/v1/me/todo/all?limit=20") });
  return (
    <Card title={t("待办", "To do")} data-testid="todo">
      <ProblemAlert error={todo.error} onReload={() => todo.refetch()} />
      {todo.data?.sources
        .filter((source) => !source.ok)
        .map((source) => (
          <Alert
            key={source.source}
            type="warning"
            showIcon
            style={{ marginBottom: 8 }}
            message={
              lang === "en"
                ? `${sources[source.source] ?? source.source}: cannot be read just now${source.detail ? `: ${source.detail}` : ""}`
                : `${sources[source.source] ?? source.source}待办暂时无法读取${source.detail_zh ? `：${source.detail_zh}` : ""}`
            }
          />
        ))}
      <List
        loading={todo.isPending}
        size="small"
        locale={{ emptyText: t("暂无待办", "Nothing to do") }}
        dataSource={todo.data?.items ?? []}
        renderItem={(item) => (
          <List.Item extra={item.due_on ? <Tag>{t(`${item.due_on} 前`, `by ${item.due_on}`)}</Tag> : null}>
            <Space direction="vertical" size={0}>
              <Typography.Text>{item.title}</Typography.Text>
              {item.reason && <Typography.Text type="danger">{t("退回意见：", "Returned: ")}{item.reason}</Typography.Text>}
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}
