/**
 * 考核: the assessment runs, newest first (a unit sees only published ones, the API decides), each opening its
 * ranking and scorecards. The office starts a run of a scheme for a period here: a job (202 + Location) whose
 * progress shows on the run's page.
 */
import { useMutation, useQuery } from "@tanstack/react-query";
import { Button, Form, Input, Select, Space, Table, Tag, Typography } from "antd";
import { Link, useNavigate } from "react-router-dom";
import type { components } from "../../api/scoring";
import { CursorPager, pagedTable } from "../../components/CursorPager";
import { ProblemAlert } from "../../components/ProblemAlert";
import { call, read, scoring } from "../../lib/client";
import { useT } from "../../lib/i18n";
import { useCanChange } from "../../lib/me";
import { useCursorPage } from "../../lib/paging";

type Assessment = components["schemas"]["AssessmentRead"];

export function assessmentStatus(t: (zh: string, en: string) => string): Record<string, string> {
  return { queued: t("排队中", "Queued"), running: t("计算中", "Running"), done: t("已算完", "Done"), failed: t("失败", "Failed") };
}

export function AssessPage() {
  const t = useT();
  const canChange = useCanChange();
  const navigate = useNavigate();
  const page = useCursorPage<Assessment>(["assessments"], (cursor) =>
    call(scoring.GET("/v1/assessments", { params: { query: { limit: 20, cursor } } })),
  );
  const schemes = useQuery({
    queryKey: ["schemes"],
    queryFn: () => call(scoring.GET("/v1/schemes", { params: { query: { limit: 100 } } })),
    enabled: canChange,
  });
  const start = useMutation({
    mutationFn: (body: { scheme_id: number; period: string }) => read(scoring.POST("/v1/assessments", { body })),
    // the run's page follows the job named by Location
    onSuccess: ({ data, location }) =>
      navigate(`/assess/${data.id}${location ? `?job=${encodeURIComponent(location)}` : ""}`),
  });
  const statuses = assessmentStatus(t);

  return (
    <>
      <Typography.Title level={3}>{t("考核", "Assessment")}</Typography.Title>
      {canChange && (
        <Form layout="inline" onFinish={(v) => start.mutate(v)} style={{ marginBottom: 16 }}>
          <Form.Item name="scheme_id" label={t("考核方案", "Scheme")} rules={[{ required: true, message: t("请选择方案", "Choose a scheme") }]}>
            <Select
              style={{ width: 260 }}
              loading={schemes.isLoading}
              options={(schemes.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))}
            />
          </Form.Item>
          <Form.Item name="period" label={t("考核期", "Period")} rules={[{ required: true, message: t("请填写考核期", "Enter a period") }]}>
            <Input placeholder="2026 / 2026-Q4 / 2026-11" style={{ width: 180 }} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={start.isPending}>
            {t("开始考核", "Start assessment")}
          </Button>
        </Form>
      )}
      <ProblemAlert error={start.error ?? schemes.error} style={{ marginBottom: 16 }} />
      <ProblemAlert error={page.query.error} onReload={() => page.query.refetch()} style={{ marginBottom: 16 }} />
      <Table<Assessment>
        rowKey="id"
        size="middle"
        {...pagedTable(page)}
        locale={{ emptyText: t("暂无考核", "No assessments") }}
        columns={[
          {
            title: t("考核期", "Period"),
            render: (_, a) => <Link to={`/assess/${a.id}`}>{t(`${a.period} 第 ${a.run_version} 次`, `${a.period}, run ${a.run_version}`)}</Link>,
          },
          { title: t("方案", "Scheme"), dataIndex: "scheme_id", width: 90 },
          { title: t("状态", "Status"), width: 110, render: (_, a) => <Tag>{statuses[a.status] ?? a.status}</Tag> },
          {
            title: t("发布", "Published"),
            width: 200,
            render: (_, a) => (a.published ? t(`已发布 ${a.published_at?.slice(0, 10) ?? ""}`, `Published ${a.published_at?.slice(0, 10) ?? ""}`) : t("未发布", "Not published")),
          },
        ]}
      />
      <Space>
        <CursorPager page={page} />
      </Space>
    </>
  );
}
