/**
 * One assignment (/assignments/:assignmentId): what it is and where it stands, its workflow buttons, its reports,
 * its extension requests and, for those who may read the audit, its history. The viewer's side decides the
 * buttons: the assigned unit's people act as the unit, the office and administrators as the office; anyone else
 * (a leader, a lead unit reading a cooperator) reads.
 */
import { Card, Descriptions, Space, Tag, Typography } from "antd";
import { useQueryClient } from "@tanstack/react-query";
import { useParams } from "react-router-dom";
import { Light } from "../../components/Light";
import { ProblemAlert } from "../../components/ProblemAlert";
import { tasks } from "../../lib/client";
import { useTagged } from "../../lib/etag";
import { useI18n } from "../../lib/i18n";
import { hasRole, useMe } from "../../lib/me";
import { type Assignment, AssignmentActions, type Side } from "./AssignmentActions";
import { AssignmentExtensions } from "./AssignmentExtensions";
import { AssignmentHistory } from "./AssignmentHistory";
import { AssignmentReports } from "./AssignmentReports";
import { STATE_NAMES } from "./MyTasksPage";

export function AssignmentPage() {
  const { t, lang } = useI18n();
  const me = useMe();
  const queries = useQueryClient();
  const id = Number(useParams().assignmentId);
  const key = ["assignment", id];
  const assignment = useTagged<Assignment>(key, () => tasks.GET("/v1/assignments/{assignment_id}", { params: { path: { assignment_id: id } } }));
  const a = assignment.data?.data;
  if (!a) {
    return (
      <Card loading={assignment.isPending}>
        <ProblemAlert error={assignment.error} onReload={() => assignment.refetch()} />
      </Card>
    );
  }
  const side: Side =
    me.unit?.id === a.unit_id && hasRole(me, "unit") ? "unit" : hasRole(me, "admin", "office") ? "office" : "none";
  const [zh, en] = STATE_NAMES[a.state] ?? [a.state, a.state];
  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      <Card title={`${a.task_number ? `${a.task_number} ` : ""}${a.task_title}`} data-testid="assignment">
        <Descriptions column={{ xs: 1, sm: 2 }} size="small">
          <Descriptions.Item label={t("责任单位", "Unit")}>
            {a.unit_name} {a.role === "lead" ? t("（牵头）", "(lead)") : t("（配合）", "(cooperating)")}
          </Descriptions.Item>
          <Descriptions.Item label={t("状态", "State")}>
            <Tag>{t(zh, en)}</Tag>
          </Descriptions.Item>
          <Descriptions.Item label={t("灯", "Light")}>
            <Light light={a.light} />
            <Typography.Text type="secondary">{lang === "en" ? a.light_reason.text : a.light_reason.text_zh}</Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t("期限", "Due")}>
            {a.due_on ?? t("无期限", "None")}
            {a.original_due_on && a.original_due_on !== a.due_on && t(`（原 ${a.original_due_on}）`, ` (was ${a.original_due_on})`)}
          </Descriptions.Item>
          <Descriptions.Item label={t("进度", "Progress")}>{a.progress}%</Descriptions.Item>
        </Descriptions>
        {a.return_reason && a.state === "in_progress" && (
          <Typography.Paragraph type="danger">
            {t("退回意见：", "Returned: ")}
            {a.return_reason}
          </Typography.Paragraph>
        )}
        <AssignmentActions
          assignment={a}
          etag={assignment.data?.etag ?? null}
          side={side}
          onChanged={(next, etag) => {
            queries.setQueryData(key, { data: next, etag });
            queries.invalidateQueries({ predicate: (q) => q.queryKey[0] !== "assignment" });
          }}
        />
      </Card>
      <AssignmentReports assignmentId={id} side={side} />
      <AssignmentExtensions assignmentId={id} side={side} />
      {hasRole(me, "admin", "office", "leader") && <AssignmentHistory assignmentId={id} />}
    </Space>
  );
}
