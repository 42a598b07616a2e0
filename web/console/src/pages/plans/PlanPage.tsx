/**
 * One plan: its particulars and light, then two tabs (the tab in the URL): 任务分解 (the breakdown tree with lights,
 * filters and search) and 单位看板 (each unit's open work by light, punctuality, and what is overdue). A leader
 * reads it all; only the office gets the buttons that change it.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, Button, Descriptions, Popconfirm, Skeleton, Space, Tabs, Tag, Typography } from "antd";
import { useLocation, useNavigate, useParams, useSearchParams } from "react-router-dom";
import type { components } from "../../api/tasks";
import { Light } from "../../components/Light";
import { ProblemAlert } from "../../components/ProblemAlert";
import { call, ifMatch, tasks } from "../../lib/client";
import { useTagged } from "../../lib/etag";
import { useI18n } from "../../lib/i18n";
import { useCanChange } from "../../lib/me";
import { planStatus } from "./labels";
import { TaskTree } from "./TaskTree";
import { UnitBoard } from "./UnitBoard";

export function PlanPage() {
  const { t, lang } = useI18n();
  const planId = Number(useParams().planId);
  const [params, setParams] = useSearchParams();
  const canChange = useCanChange();
  const queries = useQueryClient();
  const navigate = useNavigate();
  const accepted = (useLocation().state as { accepted?: components["schemas"]["DraftAccepted"] } | null)?.accepted;
  const plan = useTagged(["plan", planId], () => tasks.GET("/v1/plans/{plan_id}", { params: { path: { plan_id: planId } } }));
  const board = useQuery({
    queryKey: ["board", planId],
    queryFn: () => call(tasks.GET("/v1/plans/{plan_id}/board", { params: { path: { plan_id: planId } } })),
  });

  // archiving sends the ETag the page read: a plan changed meanwhile answers 412, shown with a button to read again
  const archive = useMutation({
    mutationFn: () =>
      call(tasks.POST("/v1/plans/{plan_id}/archive", { params: { path: { plan_id: planId }, header: ifMatch(plan.data?.etag) } })),
    onSuccess: () => queries.invalidateQueries(), // the plan, its lists and the overview all show its status
  });

  if (plan.error) return <ProblemAlert error={plan.error} onReload={() => plan.refetch()} />;
  if (!plan.data) return <Skeleton active />;
  const data = plan.data.data;
  const tab = params.get("tab") === "board" ? "board" : "tasks";
  const reason = board.data?.light_reason;

  return (
    <>
      <Space style={{ width: "100%", justifyContent: "space-between" }} align="start">
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {data.title}
        </Typography.Title>
        {canChange && data.status !== "archived" && (
          <Space>
            <Button onClick={() => navigate(`/imports?tab=table&plan=${planId}`)}>{t("导入分解表", "Import a breakdown table")}</Button>
            <Popconfirm
              title={t("归档后计划只读，不能再修改。确定归档？", "An archived plan can no longer change. Archive it?")}
              okText={t("归档", "Archive")}
              cancelText={t("取消", "Cancel")}
              onConfirm={() => archive.mutate()}
            >
              <Button danger loading={archive.isPending}>
                {t("归档", "Archive")}
              </Button>
            </Popconfirm>
          </Space>
        )}
      </Space>
      {accepted && <AcceptedNotice accepted={accepted} />}
      <ProblemAlert
        error={archive.error}
        onReload={() => {
          archive.reset();
          plan.refetch();
        }}
        style={{ marginBottom: 16 }}
      />
      <Descriptions size="small" column={4} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t("文号", "Document no.")}>{data.doc_number ?? "—"}</Descriptions.Item>
        <Descriptions.Item label={t("印发日期", "Issued")}>{data.issued_on ?? "—"}</Descriptions.Item>
        <Descriptions.Item label={t("状态", "Status")}>
          <Tag>{planStatus(t)[data.status] ?? data.status}</Tag>
        </Descriptions.Item>
        <Descriptions.Item label={t("整体", "Overall")}>
          {board.data ? <Light light={board.data.light} reason={reason ? (lang === "en" ? reason.text : reason.text_zh) : undefined} /> : "—"}
          {reason && <Typography.Text type="secondary">{lang === "en" ? reason.text : reason.text_zh}</Typography.Text>}
        </Descriptions.Item>
      </Descriptions>
      <Tabs
        activeKey={tab}
        onChange={(key) =>
          setParams((current) => {
            const next = new URLSearchParams(current);
            next.set("tab", key);
            return next;
          })
        }
        items={[
          { key: "tasks", label: t("任务分解", "Breakdown"), children: <TaskTree planId={planId} /> },
          { key: "board", label: t("单位看板", "Unit board"), children: <UnitBoard board={board} /> },
        ]}
      />
    </>
  );
}

/** What accepting the draft made, shown once on arrival from the review. */
function AcceptedNotice({ accepted }: { accepted: components["schemas"]["DraftAccepted"] }) {
  const t = useI18n().t;
  const { indicators } = accepted;
  const made = t(
    `已生成计划：${accepted.tasks_created} 项任务，新建 ${accepted.units_created.length} 个单位。`,
    `The plan is made: ${accepted.tasks_created} tasks, ${accepted.units_created.length} new units. `,
  );
  const handed = indicators.handed_over
    ? t(`${indicators.count} 项指标已交考核系统完善。`, `${indicators.count} indicators went to scoring to complete.`)
    : t(`指标未能交考核系统：${indicators.problem_zh ?? indicators.problem ?? ""}`, `The indicators did not reach scoring: ${indicators.problem ?? ""}`);
  return (
    <Alert
      type={indicators.handed_over || indicators.count === 0 ? "success" : "warning"}
      showIcon
      closable
      style={{ marginBottom: 16 }}
      message={made}
      description={indicators.count > 0 ? handed : undefined}
    />
  );
}
