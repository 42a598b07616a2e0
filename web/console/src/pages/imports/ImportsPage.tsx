/**
 * 导入计划: a policy document (.docx, .txt, .pdf, or page pictures) is read into a draft by a job, whose progress
 * shows here, then the draft opens for review (/imports/:draftId); or a breakdown table (.xlsx, .csv) is imported
 * into an existing plan. The running job is in the URL (`job`), so a reload keeps watching it. Below: the office's
 * drafts, newest first.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Card, Checkbox, Select, Space, Table, Tabs, Tag, Typography, Upload } from "antd";
import { useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import type { components } from "../../api/tasks";
import { CursorPager, pagedTable } from "../../components/CursorPager";
import { JobProgress } from "../../components/JobProgress";
import { ProblemAlert } from "../../components/ProblemAlert";
import { call, fileForm, read, tasks } from "../../lib/client";
import { useT } from "../../lib/i18n";
import { useCanChange } from "../../lib/me";
import { useCursorPage } from "../../lib/paging";

type DraftSummary = components["schemas"]["DraftSummary"];
const DOCUMENTS = ".docx,.txt,.pdf,.png,.jpg,.jpeg";
const TABLES = ".xlsx,.csv";

export function ImportsPage() {
  const t = useT();
  const canChange = useCanChange();
  const [params, setParams] = useSearchParams();
  const tab = params.get("tab") === "table" ? "table" : "document";
  const setParam = (name: string, value: string | null) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      if (value === null) next.delete(name);
      else next.set(name, value);
      return next;
    });

  return (
    <>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t("导入计划", "Import a plan")}
      </Typography.Title>
      {canChange && (
        <Card style={{ marginBottom: 16 }}>
          <Tabs
            activeKey={tab}
            onChange={(key) => setParams(new URLSearchParams({ tab: key }))}
            items={[
              {
                key: "document",
                label: t("从公文生成草稿", "From a document"),
                children: <DocumentImport job={params.get("job")} setJob={(job) => setParam("job", job)} />,
              },
              {
                key: "table",
                label: t("导入任务分解表", "A breakdown table"),
                children: (
                  <TableImport
                    planId={params.get("plan")}
                    setPlanId={(plan) => setParam("plan", plan)}
                    job={params.get("job")}
                    setJob={(job) => setParam("job", job)}
                  />
                ),
              },
            ]}
          />
        </Card>
      )}
      <Drafts />
    </>
  );
}

function DocumentImport({ job, setJob }: { job: string | null; setJob: (job: string | null) => void }) {
  const t = useT();
  const navigate = useNavigate();
  const upload = useMutation({
    mutationFn: (file: File) => read(tasks.POST("/v1/plan-drafts", fileForm(file))),
    onSuccess: ({ location }) => setJob(location),
  });
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <FileDrop
        accept={DOCUMENTS}
        disabled={upload.isPending}
        onFile={(file) => upload.mutate(file)}
        title={t("点击或拖入公文文件（.docx、.txt、.pdf，或每页的图片）", "Click or drop the document (.docx, .txt, .pdf, or a picture of each page)")}
        hint={t("系统读取文号、任务、责任单位和时限，生成草稿供审核", "Its number, tasks, units and deadlines become a draft to review")}
      />
      <ProblemAlert error={upload.error} />
      {job && (
        <JobProgress
          location={job}
          onDone={(done) => {
            const draftId = done.result?.draft_id;
            if (done.status === "succeeded" && draftId) navigate(`/imports/${draftId}`, { replace: true });
          }}
        />
      )}
    </Space>
  );
}

function TableImport(props: { planId: string | null; setPlanId: (id: string | null) => void; job: string | null; setJob: (job: string | null) => void }) {
  const { planId, setPlanId, job, setJob } = props;
  const t = useT();
  const navigate = useNavigate();
  const [search, setSearch] = useState("");
  const [createUnits, setCreateUnits] = useState(false);
  const queries = useQueryClient();
  const plans = useQuery({
    queryKey: ["plans", "pick", search],
    queryFn: () => call(tasks.GET("/v1/plans", { params: { query: { limit: 20, q: search || undefined } } })),
  });
  // the plan named in the address (from its page's 导入分解表) may not be among the first found: read it too
  const chosen = useQuery({
    queryKey: ["plan", Number(planId), "summary"],
    queryFn: () => call(tasks.GET("/v1/plans/{plan_id}", { params: { path: { plan_id: Number(planId) } } })),
    enabled: planId !== null,
  });
  const options = (plans.data?.items ?? []).map((plan) => ({ value: plan.id, label: plan.title }));
  if (chosen.data && !options.some((option) => option.value === chosen.data.id)) {
    options.unshift({ value: chosen.data.id, label: chosen.data.title });
  }
  const upload = useMutation({
    mutationFn: (file: File) =>
      read(
        tasks.POST("/v1/plans/{plan_id}/breakdown", {
          params: { path: { plan_id: Number(planId) }, query: { create_units: createUnits } },
          ...fileForm(file),
        }),
      ),
    onSuccess: ({ location }) => setJob(location),
  });
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Space wrap>
        <Select
          aria-label={t("导入到计划", "Into the plan")}
          placeholder={t("选择计划", "Choose the plan")}
          showSearch
          filterOption={false}
          onSearch={setSearch}
          value={planId ? Number(planId) : undefined}
          onChange={(id) => setPlanId(id ? String(id) : null)}
          options={options}
          style={{ width: 420 }}
        />
        <Checkbox checked={createUnits} onChange={(e) => setCreateUnits(e.target.checked)}>
          {t("未知单位新建在发文单位下", "Create unknown units under the issuer")}
        </Checkbox>
      </Space>
      <FileDrop
        accept={TABLES}
        disabled={!planId || upload.isPending}
        onFile={(file) => upload.mutate(file)}
        title={t("点击或拖入任务分解表（.xlsx、.csv）", "Click or drop the breakdown table (.xlsx, .csv)")}
        hint={t("按表头识别：序号、工作任务、牵头单位、配合单位、完成时限", "Columns by their headers: 序号, 工作任务, 牵头单位, 配合单位, 完成时限")}
      />
      <ProblemAlert error={upload.error} />
      {job && (
        <JobProgress
          location={job}
          onDone={(done) => {
            if (done.status !== "succeeded" || !planId) return;
            // the plan's tasks, units and board all changed: nothing read before the import may show
            queries.invalidateQueries();
            navigate(`/plans/${planId}`, { replace: true });
          }}
        />
      )}
    </Space>
  );
}

function Drafts() {
  const t = useT();
  const page = useCursorPage<DraftSummary>(["plan-drafts"], (cursor) =>
    call(tasks.GET("/v1/plan-drafts", { params: { query: { limit: 20, cursor } } })),
  );
  return (
    <Card title={t("草稿", "Drafts")} size="small">
      <ProblemAlert error={page.query.error} onReload={() => page.query.refetch()} />
      <Table<DraftSummary>
        rowKey="id"
        size="small"
        {...pagedTable(page)}
        locale={{ emptyText: t("暂无草稿", "No drafts") }}
        columns={[
          {
            title: t("标题", "Title"),
            render: (_, draft) => <Link to={`/imports/${draft.id}`}>{draft.title || draft.source_name || `#${draft.id}`}</Link>,
          },
          { title: t("文件", "File"), dataIndex: "source_name", width: 220, render: (v) => v ?? "—" },
          { title: t("任务数", "Tasks"), dataIndex: "tasks", width: 80 },
          { title: t("未匹配单位", "Unknown units"), dataIndex: "unknown_units", width: 110 },
          {
            title: t("状态", "Status"),
            width: 160,
            render: (_, draft) =>
              draft.status === "accepted" && draft.plan_id ? (
                <Link to={`/plans/${draft.plan_id}`}>
                  <Tag color="green">{t("已生成计划", "Plan made")}</Tag>
                </Link>
              ) : (
                <Tag>{t("待审核", "To review")}</Tag>
              ),
          },
        ]}
      />
      <CursorPager page={page} />
    </Card>
  );
}

/** A drop zone that hands the chosen file over instead of uploading it itself (the caller's mutation does). */
function FileDrop(props: { accept: string; disabled: boolean; onFile: (file: File) => void; title: string; hint: string }) {
  return (
    <Upload.Dragger
      accept={props.accept}
      showUploadList={false}
      disabled={props.disabled}
      beforeUpload={(file) => {
        props.onFile(file);
        return false;
      }}
    >
      <p>{props.title}</p>
      <p style={{ color: "#888" }}>{props.hint}</p>
    </Upload.Dragger>
  );
}
