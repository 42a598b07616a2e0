/** A unit's scorecard: its total, rank and grade, and each line with where its points came from (the API's words). */
import { useQuery } from "@tanstack/react-query";
import { Descriptions, Skeleton, Table, Typography } from "antd";
import type { components } from "../../api/scoring";
import { ProblemAlert } from "../../components/ProblemAlert";
import { call, scoring } from "../../lib/client";
import { useI18n, useT } from "../../lib/i18n";

type Line = components["schemas"]["ScoreLine"];

export function Scorecard({ assessmentId, unitId }: { assessmentId: number; unitId: number }) {
  const t = useT();
  const { lang } = useI18n();
  const card = useQuery({
    queryKey: ["scorecard", assessmentId, unitId],
    queryFn: () =>
      call(scoring.GET("/v1/assessments/{assessment_id}/scorecards/{unit_id}", { params: { path: { assessment_id: assessmentId, unit_id: unitId } } })),
  });
  if (card.error) return <ProblemAlert error={card.error} onReload={() => card.refetch()} />;
  if (!card.data) return <Skeleton active />;
  const data = card.data;
  const kinds: Record<string, string> = {
    indicator: t("指标", "Indicator"),
    performance: t("履职", "Performance"),
    deduction: t("扣分", "Deduction"),
    bonus: t("加分", "Bonus"),
  };
  return (
    <section aria-label={t("评分卡", "Scorecard")}>
      <Typography.Title level={4}>{t(`评分卡：${data.unit_name ?? data.unit_id}`, `Scorecard: ${data.unit_name ?? data.unit_id}`)}</Typography.Title>
      <Descriptions size="small" column={4} style={{ marginBottom: 8 }}>
        <Descriptions.Item label={t("总分", "Total")}>{`${data.total} / ${data.max_total}`}</Descriptions.Item>
        <Descriptions.Item label={t("得分率", "Percent")}>{`${data.percent.toFixed(1)}%`}</Descriptions.Item>
        <Descriptions.Item label={t("名次", "Rank")}>{data.rank}</Descriptions.Item>
        <Descriptions.Item label={t("等次", "Grade")}>{data.grade}</Descriptions.Item>
      </Descriptions>
      <Table<Line>
        rowKey={(line) => `${line.kind}:${line.ref}`}
        size="small"
        pagination={false}
        dataSource={data.lines}
        columns={[
          { title: t("类别", "Kind"), width: 80, render: (_, l) => kinds[l.kind] ?? l.kind },
          { title: t("项目", "Item"), dataIndex: "name", width: 200 },
          { title: t("数值", "Value"), width: 90, render: (_, l) => l.value ?? "—" },
          { title: t("得分", "Points"), width: 100, render: (_, l) => `${l.points} / ${l.max_points}` },
          { title: t("说明", "Explanation"), render: (_, l) => (lang === "en" ? l.explain_en : l.explain_zh) },
        ]}
      />
    </section>
  );
}
