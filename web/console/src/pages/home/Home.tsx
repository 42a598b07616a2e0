/**
 * The first screen after sign-in: 待办 first (the three services' queues in one call), then who is signed in and
 * their plans (tasks-api), the indicators they may see (scoring-api), their inbox (notify).
 */
import { useQuery } from "@tanstack/react-query";
import { Alert, Card, Col, Descriptions, List, Row, Skeleton, Tag } from "antd";
import type { ReactNode } from "react";
import type { operations as Notify } from "../../api/notify";
import type { operations as Scoring } from "../../api/scoring";
import type { operations as Tasks } from "../../api/tasks";
import { useMe } from "../../lib/me";
import { api, problemText } from "../../session/api";
import { Todo } from "./Todo";

type PlanPage = Tasks["list_plans"]["responses"][200]["content"]["application/json"];
type IndicatorPage = Scoring["list_indicators"]["responses"][200]["content"]["application/json"];
type InboxPage = Notify["get_inbox"]["responses"][200]["content"]["application/json"];

const STATUS: Record<string, string> = { draft: "草稿", active: "执行中", closed: "已结束", archived: "已归档" };

function Loaded<T>({ query, children }: { query: { data?: T; error: unknown; isPending: boolean }; children: (data: T) => ReactNode }) {
  if (query.isPending) return <Skeleton active />;
  if (query.error) return <Alert type="error" showIcon message={problemText(query.error)} />;
  return <>{children(query.data as T)}</>;
}

export function Home() {
  const me = useMe();
  const plans = useQuery({ queryKey: ["plans"], queryFn: () => api<PlanPage>("/v1/plans?limit=20") });
  const indicators = useQuery({ queryKey: ["indicators"], queryFn: () => api<IndicatorPage>("/v1/indicators?limit=20") });
  const inbox = useQuery({ queryKey: ["inbox"], queryFn: () => api<InboxPage>("/v1/inbox?limit=10") });

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24}>
        <Todo />
      </Col>
      <Col xs={24} lg={12}>
        <Card title="我的账号" data-testid="me">
          <Descriptions column={1} size="small">
            <Descriptions.Item label="用户">{me.display_name || me.username}</Descriptions.Item>
            <Descriptions.Item label="单位">{me.unit?.name ?? "—"}</Descriptions.Item>
            <Descriptions.Item label="角色">
              {me.roles.map((role) => (
                <Tag key={role}>{role}</Tag>
              ))}
            </Descriptions.Item>
          </Descriptions>
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card title="计划" data-testid="plans">
          <Loaded query={plans}>
            {(page) => (
              <List
                size="small"
                locale={{ emptyText: "暂无计划" }}
                dataSource={page.items}
                renderItem={(plan) => (
                  <List.Item extra={<Tag>{STATUS[plan.status] ?? plan.status}</Tag>}>
                    {plan.title}
                    {plan.doc_number ? `（${plan.doc_number}）` : ""}
                  </List.Item>
                )}
              />
            )}
          </Loaded>
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card title="考核指标" data-testid="indicators">
          <Loaded query={indicators}>
            {(page) => (
              <List
                size="small"
                locale={{ emptyText: "暂无指标" }}
                dataSource={page.items}
                renderItem={(indicator) => <List.Item>{indicator.name}</List.Item>}
              />
            )}
          </Loaded>
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card title="收件箱" data-testid="inbox">
          <Loaded query={inbox}>
            {(page) => (
              <>
                <p>未读 {page.unread} 条</p>
                <List
                  size="small"
                  locale={{ emptyText: "暂无消息" }}
                  dataSource={page.items}
                  renderItem={(item) => <List.Item>{item.subject}</List.Item>}
                />
              </>
            )}
          </Loaded>
        </Card>
      </Col>
    </Row>
  );
}
