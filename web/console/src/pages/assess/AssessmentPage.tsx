/**
 * One assessment run: while its job runs, the job's progress; then the ranking (paged by cursor) and the scorecard
 * of the unit chosen (kept in the URL as ?unit=), each line with the API's explanation in the page's language.
 * The office publishes it with the ETag it read (412 when someone changed it first). A unit reads only its own
 * scorecard, once published: the API refuses the ranking and others' cards.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Button, Descriptions, Popconfirm, Skeleton, Space, Table, Tag, Typography } from "antd";
import { Link, useParams, useSearchParams } from "react-router-dom";
import type { components } from "../../api/scoring";
import { CursorPager, pagedTable } from "../../components/CursorPager";
import { JobProgress } from "../../components/JobProgress";
import { ProblemAlert } from "../../components/ProblemAlert";
import { call, ifMatch, scoring } from "../../lib/client";
import { useTagged } from "../../lib/etag";
import { useT } from "../../lib/i18n";
import { hasRole, useCanChange, useMe } from "../../lib/me";
import { useCursorPage } from "../../lib/paging";
import { assessmentStatus } from "./AssessPage";
import { Scorecard } from "./Scorecard";

type Row = components["schemas"]["RankingRow"];

export function AssessmentPage() {
  const t = useT();
  const me = useMe();
  const canChange = useCanChange();
  const queries = useQueryClient();
  const assessmentId = Number(useParams().assessmentId);
  const [params] = useSearchParams();
  const unitLink = (unitId: number) => {
    const next = new URLSearchParams(params);
    next.set("unit", String(unitId));
    return `?${next}`;
  };
  const path = { assessment_id: assessmentId };
  const assessment = useTagged(["assessment", assessmentId], () =>
    scoring.GET("/v1/assessments/{assessment_id}", { params: { path } }),
  );
  const data = assessment.data?.data;
  const done = data?.status === "done";
  const isUnit = !hasRole(me, "admin", "office", "leader");
  const ranking = useCursorPage<Row>(
    ["ranking", assessmentId],
    (cursor) => call(scoring.GET("/v1/assessments/{assessment_id}/ranking", { params: { path, query: { limit: 20, cursor } } })),
    { enabled: done && !isUnit },
  );
  const publish = useMutation({
    mutationFn: () =>
      call(scoring.POST("/v1/assessments/{assessment_id}/publish", { params: { path, header: ifMatch(assessment.data?.etag) } })),
    onSuccess: () => queries.invalidateQueries(),
  });
  // a unit's own card is the only one it may read; others choose a unit from the ranking
  const unit = params.get("unit") ? Number(params.get("unit")) : isUnit ? me.unit?.id ?? undefined : undefined;
  const job = params.get("job") ?? `/v1/assessments/${assessmentId}/job`;

  if (assessment.error) return <ProblemAlert error={assessment.error} onReload={() => assessment.refetch()} />;
  if (!data) return <Skeleton active />;
  const statuses = assessmentStatus(t);

  return (
    <>
      <Space style={{ width: "100%", justifyContent: "space-between", marginBottom: 16 }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t(`考核：${data.period}（第 ${data.run_version} 次）`, `Assessment: ${data.period} (run ${data.run_version})`)}
        </Typography.Title>
        {canChange && done && !data.published && (
          <Popconfirm
            title={t("发布后本期数值锁定，各单位可见结果。确定发布？", "Publishing locks the period's values and shows units their results. Publish?")}
            okText={t("发布", "Publish")}
            cancelText={t("取消", "Cancel")}
            onConfirm={() => publish.mutate()}
          >
            <Button type="primary" loading={publish.isPending}>
              {t("发布", "Publish")}
            </Button>
          </Popconfirm>
        )}
      </Space>
      <ProblemAlert
        error={publish.error}
        onReload={() => {
          publish.reset();
          assessment.refetch();
        }}
        style={{ marginBottom: 16 }}
      />
      <Descriptions size="small" column={3} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t("状态", "Status")}>
          <Tag>{statuses[data.status] ?? data.status}</Tag>
        </Descriptions.Item>
        <Descriptions.Item label={t("发布", "Published")}>
          {data.published ? t(`已发布（${data.published_by ?? ""}）`, `Published (${data.published_by ?? ""})`) : t("未发布", "Not published")}
        </Descriptions.Item>
        <Descriptions.Item label={t("方案", "Scheme")}>{data.scheme_id}</Descriptions.Item>
      </Descriptions>
      {(data.status === "queued" || data.status === "running" || data.status === "failed") && (
        <JobProgress location={job} onDone={() => queries.invalidateQueries({ queryKey: ["assessment", assessmentId] })} />
      )}
      {done && !isUnit && (
        <>
          <Typography.Title level={4}>{t("排名", "Ranking")}</Typography.Title>
          <ProblemAlert error={ranking.query.error} onReload={() => ranking.query.refetch()} />
          <Table<Row>
            rowKey="unit_id"
            size="small"
            {...pagedTable(ranking)}
            locale={{ emptyText: t("暂无结果", "No results") }}
            columns={[
              { title: t("名次", "Rank"), dataIndex: "rank", width: 70 },
              {
                title: t("单位", "Unit"),
                // a link in the address (the theme's link colour passes contrast; a link-type button's does not)
                render: (_, r) => <Link to={unitLink(r.unit_id)}>{r.unit_name ?? r.unit_id}</Link>,
              },
              { title: t("得分", "Score"), dataIndex: "total", width: 90 },
              { title: t("得分率", "Percent"), width: 90, render: (_, r) => `${r.percent.toFixed(1)}%` },
              { title: t("等次", "Grade"), dataIndex: "grade", width: 90 },
            ]}
          />
          <CursorPager page={ranking} />
        </>
      )}
      {done && unit !== undefined && <Scorecard assessmentId={assessmentId} unitId={unit} />}
      {done && isUnit && unit === undefined && (
        <Typography.Paragraph>{t("您的账号未关联单位。", "Your account belongs to no unit.")}</Typography.Paragraph>
      )}
    </>
  );
}
