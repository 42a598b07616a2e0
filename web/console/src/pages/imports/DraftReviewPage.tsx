/**
 * 草稿审核: the draft a document was read into, beside the document. The office picks a task (the selection is in
 * the URL) to see its words marked in the text, fixes the plan's particulars, maps the unit names no unit matched,
 * reads what still stands in the way (`warnings`), and accepts: the plan is made and opens. Every change sends
 * the draft's ETag; a draft changed meanwhile is told plainly, with a button to read it again.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Alert, Button, Card, Checkbox, Col, List, Popconfirm, Row, Skeleton, Space, Typography } from "antd";
import { useState } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router-dom";
import type { components } from "../../api/tasks";
import { ProblemAlert } from "../../components/ProblemAlert";
import { call, ifMatch, read, tasks } from "../../lib/client";
import { type Tagged, useTagged } from "../../lib/etag";
import { useI18n } from "../../lib/i18n";
import { useCanChange } from "../../lib/me";
import { type Draft, getDraft } from "./draft";
import { DraftSource } from "./DraftSource";
import { DraftTaskEditor } from "./DraftTaskEditor";
import { DraftTasks } from "./DraftTasks";
import { PlanMetaForm } from "./PlanMetaForm";
import { UnitMapping, unitsWith } from "./UnitMapping";

type DraftPatch = components["schemas"]["DraftPatch"];

export function DraftReviewPage() {
  const { t, lang } = useI18n();
  const draftId = Number(useParams().draftId);
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const queries = useQueryClient();
  const canChange = useCanChange();
  const [createUnits, setCreateUnits] = useState(false);
  const [withoutLead, setWithoutLead] = useState(false);
  const key = ["plan-draft", draftId];
  const draft = useTagged<Draft>(key, () => getDraft(draftId));

  const change = useMutation({
    mutationFn: (body: DraftPatch) =>
      read(
        tasks.PATCH("/v1/plan-drafts/{draft_id}", {
          params: { path: { draft_id: draftId }, header: ifMatch(draft.data?.etag) },
          body,
        }),
      ),
    onSuccess: ({ data, etag }) => queries.setQueryData<Tagged<Draft>>(key, { data, etag }),
  });
  const accept = useMutation({
    mutationFn: () =>
      call(
        tasks.POST("/v1/plan-drafts/{draft_id}/accept", {
          params: { path: { draft_id: draftId }, header: ifMatch(draft.data?.etag) },
          body: { create_units: createUnits, allow_tasks_without_lead: withoutLead, status: "active" },
        }),
      ),
    onSuccess: (accepted) => {
      queries.invalidateQueries(); // a new plan: the lists, the overview and 待办 all changed
      // the plan page tells what accepting made (tasks, new units, indicators handed to scoring-api)
      navigate(`/plans/${accepted.plan.id}`, { state: { accepted } });
    },
  });
  const remove = useMutation({
    mutationFn: () =>
      call(
        tasks.DELETE("/v1/plan-drafts/{draft_id}", {
          params: { path: { draft_id: draftId }, header: ifMatch(draft.data?.etag) },
        }),
      ),
    onSuccess: () => {
      queries.invalidateQueries({ queryKey: ["plan-drafts"] });
      navigate("/imports");
    },
  });
  const reload = () => {
    change.reset();
    accept.reset();
    remove.reset();
    draft.refetch();
  };

  if (draft.error) return <ProblemAlert error={draft.error} onReload={reload} />;
  if (!draft.data) return <Skeleton active />;
  const data = draft.data.data;
  const selected = params.has("task") ? Number(params.get("task")) : null;
  const task = selected !== null ? data.draft.tasks?.[selected] : undefined;
  const open = data.status === "open";
  const editable = canChange && open;
  const warnings = data.warnings ?? [];
  const unknown = data.draft.unknown_units ?? [];
  const leadMissing = warnings.some((w) => w.code === "lead_missing");
  const blocked = (unknown.length > 0 && !createUnits) || (leadMissing && !withoutLead);
  const select = (index: number) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        next.set("task", String(index));
        return next;
      },
      { replace: true },
    );

  return (
    <>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t("草稿审核：", "Draft review: ")}
        {data.title || data.source_name || `#${data.id}`}
      </Typography.Title>
      {!open && data.plan_id && (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 16 }}
          message={
            <>
              {t("此草稿已生成计划。", "This draft became a plan. ")}
              <Link to={`/plans/${data.plan_id}`}>{t("查看计划", "Open the plan")}</Link>
            </>
          }
        />
      )}
      {(data.draft.scanned_pages ?? []).some((scan) => scan.confidence < 0.9) && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={t("部分页面为扫描识别，请对照原件核对：", "Some pages were read from scans; check them against the paper: ")}
          description={(data.draft.scanned_pages ?? [])
            .filter((scan) => scan.confidence < 0.9)
            .map((scan) => t(`第 ${scan.page} 页（置信度 ${Math.round(scan.confidence * 100)}%）`, `page ${scan.page} (${Math.round(scan.confidence * 100)}% sure)`))
            .join(lang === "en" ? ", " : "、")}
        />
      )}
      <ProblemAlert error={change.error ?? accept.error ?? remove.error} onReload={reload} style={{ marginBottom: 16 }} />
      <PlanMetaForm draft={data} readOnly={!editable} busy={change.isPending} onSave={(plan) => change.mutate({ plan })} />
      <Row gutter={16} style={{ marginTop: 16 }}>
        <Col span={13}>
          <DraftTasks draft={data} selected={selected} onSelect={select} />
          {selected !== null && (
            <DraftTaskEditor draft={data} index={selected} readOnly={!editable} busy={change.isPending} onSave={(list) => change.mutate({ tasks: list as DraftPatch["tasks"] })} />
          )}
        </Col>
        <Col span={11}>
          <DraftSource text={data.source_text} span={task?.span ?? null} />
        </Col>
      </Row>
      <Space direction="vertical" style={{ width: "100%", marginTop: 16 }}>
        <UnitMapping
          draft={data}
          readOnly={!editable}
          busy={change.isPending}
          onMap={(name, unitId) => change.mutate({ units: unitsWith(data, name, unitId) })}
        />
        {warnings.filter((w) => w.code !== "unit_unknown").length > 0 && (
          <Card size="small" title={t("待处理问题", "Problems to resolve")}>
            <List
              size="small"
              dataSource={warnings.filter((w) => w.code !== "unit_unknown")}
              renderItem={(w) => {
                const index = w.loc[0] === "draft" && w.loc[1] === "tasks" && typeof w.loc[2] === "number" ? w.loc[2] : null;
                const words = lang === "en" ? w.message : (w.message_zh ?? w.message);
                return (
                  <List.Item>
                    {index !== null ? (
                      <Button type="link" size="small" onClick={() => select(index)} style={{ padding: 0, height: "auto", whiteSpace: "normal", textAlign: "left" }}>
                        {words}
                      </Button>
                    ) : (
                      words
                    )}
                  </List.Item>
                );
              }}
            />
          </Card>
        )}
        {editable && (
          <Card size="small" title={t("接受草稿", "Accept the draft")}>
            <Space direction="vertical">
              {unknown.length > 0 && (
                <Checkbox checked={createUnits} onChange={(e) => setCreateUnits(e.target.checked)}>
                  {t(`其余 ${unknown.length} 个未匹配单位新建在发文单位下`, `Create the ${unknown.length} units still unknown under the issuer`)}
                </Checkbox>
              )}
              {leadMissing && (
                <Checkbox checked={withoutLead} onChange={(e) => setWithoutLead(e.target.checked)}>
                  {t("允许没有牵头单位的任务（不交办）", "Allow tasks without a lead unit (assigned to no one)")}
                </Checkbox>
              )}
              {blocked && (
                <Typography.Text style={{ color: "#874d00" /* Ant Design's warning yellow is too pale to read */ }}>
                  {unknown.length > 0 && !createUnits
                    ? t("请先为每个未匹配单位选择对应单位，或勾选新建。", "Map every unknown unit first, or tick to create them.")
                    : t("有任务没有牵头单位：请补上，或勾选允许。", "Some tasks have no lead unit: add one, or tick to allow it.")}
                </Typography.Text>
              )}
              <Space>
                <Button type="primary" disabled={blocked || change.isPending} loading={accept.isPending} onClick={() => accept.mutate()}>
                  {t("接受并生成计划", "Accept and make the plan")}
                </Button>
                <Popconfirm
                  title={t("删除此草稿？公文需重新上传。", "Delete this draft? The document would have to be uploaded again.")}
                  okText={t("删除", "Delete")}
                  cancelText={t("取消", "Cancel")}
                  onConfirm={() => remove.mutate()}
                >
                  <Button danger loading={remove.isPending}>
                    {t("删除草稿", "Delete the draft")}
                  </Button>
                </Popconfirm>
              </Space>
            </Space>
          </Card>
        )}
      </Space>
    </>
  );
}
