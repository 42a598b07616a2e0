/**
 * 待办: what waits for the signed-in user across the three services, in one call (tasks-api's merged queue),
 * by date; a returned item shows the office's reason; a service that did not answer is named, the rest still show.
 */
import { useQuery } from "@tanstack/react-query";
import { Alert, Card, List, Space, Tag, Typography } from "antd";
import type { operations as Tasks } from "../../api/tasks";
import { api, problemText } from "../../session/api";

type MergedTodoPage = Tasks["list_all_my_todo"]["responses"][200]["content"]["application/json"];

const SOURCE_ZH: Record<string, string> = { tasks: "任务", scoring: "考核", notify: "消息" };

export function Todo() {
  const todo = useQuery({ queryKey: ["todo"], queryFn: () => api<MergedTodoPage>("/v1/me/todo/all?limit=20") });
  return (
    <Card title="待办" data-testid="todo">
      {todo.isError && <Alert type="error" showIcon message={problemText(todo.error)} />}
      {todo.data?.sources
        .filter((source) => !source.ok)
        .map((source) => (
          <Alert
            key={source.source}
            type="warning"
            showIcon
            style={{ marginBottom: 8 }}
            message={`${SOURCE_ZH[source.source] ?? source.source}待办暂时无法读取${source.detail_zh ? `：${source.detail_zh}` : ""}`}
          />
        ))}
      <List
        loading={todo.isPending}
        size="small"
        locale={{ emptyText: "暂无待办" }}
        dataSource={todo.data?.items ?? []}
        renderItem={(item) => (
          <List.Item extra={item.due_on ? <Tag>{item.due_on} 前</Tag> : null}>
            <Space direction="vertical" size={0}>
              <Typography.Text>{item.title}</Typography.Text>
              {item.reason && <Typography.Text type="danger">退回意见：{item.reason}</Typography.Text>}
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}
