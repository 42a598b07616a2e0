/**
 * The first screen after sign-in: 待办 first (the three services' queues in one call), then who is signed in and
 * their plans (tasks-api), the indicators they may see (scoring-api), their inbox (notify).
 */
import { useQuery } from "@tanstack/react-query";
import { Card, Col, Descriptions, List, Row, Skeleton, Tag } from "antd";
import type { ReactNode } from "react";
import type { operations as Notify } from "../../api/notify";
import type { operations as Scoring } from "../../api/scoring";
import type { operations as Tasks } from "../../api/tasks";
import { Link } from "react-router-dom";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useT } from "../../lib/i18n";
import { useMe } from "../../lib/me";
import { api } from "../../session/api";
import { planStatus } from "../plans/labels";
import { Todo } from "./Todo";

type PlanPage = Tasks["list_plans"]["responses"][200]["content"]["application/json"];
type IndicatorPage = Scoring["list_indicators"]["responses"][200]["content"]["application/json"];
type InboxPage = Notify["get_inbox"]["responses"][200]["content"]["application/json"];

function Loaded<T>({ query, children }: { query: { data?: T; error: unknown; isPending: boolean }; children: (data: T) => ReactNode }) {
  if (query.isPending) return <Skeleton active />;
  if (query.error) return <ProblemAlert error={query.error} />;
  return <>{children(query.data as T)}</>;
}

export function Home() {
  const me = useMe();
  const t = useT();
  const statuses = planStatus(t);
  const plans = useQuery({ queryKey: ["plans"], queryFn: () => api<PlanPage>("/v1/plans?limit=20") });
  const indicators = useQuery({ queryKey: ["indicators"], queryFn: () => api<IndicatorPage>("/v1/indicators?limit=20") });
  const inbox = useQuery({ queryKey: ["inbox"], queryFn: () => api<InboxPage>("/v1/inbox?limit=10") });

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24}>
        <Todo />
      </Col>
      <Col xs={24} lg={12}>
        <Card title={t("我的账号", "My account")} data-testid="me">
          <Descriptions column={1} size="small">
            <Descriptions.Item label={t("用户", "User")}>{me.display_name || me.username}</Descriptions.Item>
            <Descriptions.Item label={t("单位", "Unit")}>{me.unit?.name ?? "—"}</Descriptions.Item>
            <Descriptions.Item label={t("角色", "Roles")}>
              {me.roles.map((role) => (
                <Tag key={role}>{role}</Tag>
              ))}
            </Descriptions.Item>
          </Descriptions>
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card title={t("计划", "Plans")} data-testid="plans">
          <Loaded query={plans}>
            {(page) => (
              <List
                size="small"
                locale={{ emptyText: t("暂无计划", "No plans") }}
                dataSource={page.items}
                renderItem={(plan) => (
                  <List.Item extra={<Tag>{statuses[plan.status] ?? plan.status}</Tag>}>
                    <Link to={`/plans/${plan.id}`}>{plan.title}</Link>
                    {plan.doc_number ? `（${plan.doc_number}）` : ""}
                  </List.Item>
                )}
              />
            )}
          </Loaded>
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card title={t("考核指标", "Indicators")} data-testid="indicators">
          <Loaded query={indicators}>
            {(page) => (
              <List
                size="small"
                locale={{ emptyText: t("暂无指标", "No indicators") }}
                dataSource={page.items}
                renderItem={(indicator) => (
                  <List.Item>
                    <Link to={`/indicators/${indicator.id}`}>{indicator.name}</Link>
                  </List.Item>
                )}
              />
            )}
          </Loaded>
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card title={t("消息", "Messages")} data-testid="inbox">
          <Loaded query={inbox}>
            {(page) => (
              <>
                <p>{t(`未读 ${page.unread} 条`, `${page.unread} unread`)}</p>
                <List
                  size="small"
                  locale={{ emptyText: t("暂无消息", "No messages") }}
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
