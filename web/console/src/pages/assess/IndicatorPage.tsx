/**
 * One indicator: its facts as the API gives them (target and direction, unit of measure, period, points, the units
 * that report it), the value entry for a unit user (its own unit; the API refuses others and a draft indicator),
 * and the values so far with their evidence. A correction is chosen from the values and kept in the URL (`?edit=`).
 * The office and leaders read; the office verifies. A leader sees no change button.
 */
import { useQuery } from "@tanstack/react-query";
import { Card, Descriptions, Skeleton, Tag, Typography } from "antd";
import { Link, useParams, useSearchParams } from "react-router-dom";
import { ProblemAlert } from "../../components/ProblemAlert";
import { call, scoring, tasks } from "../../lib/client";
import { useTagged } from "../../lib/etag";
import { useT } from "../../lib/i18n";
import { hasRole, useMe } from "../../lib/me";
import { periodKind, targetText } from "./indicators";
import { IndicatorValues } from "./IndicatorValues";
import { useUnitNames } from "./unitNames";
import { ValueForm } from "./ValueForm";

export function IndicatorPage() {
  const t = useT();
  const me = useMe();
  const indicatorId = Number(useParams().indicatorId);
  const [params, setParams] = useSearchParams();
  const indicator = useTagged(["indicator", indicatorId], () => scoring.GET("/v1/indicators/{indicator_id}", { params: { path: { indicator_id: indicatorId } } }));
  const data = indicator.data?.data;
  const unitName = useUnitNames(data?.unit_ids ?? []);
  // the plan's title, when the caller may read the plan (a unit reads only plans it has work in: else its number)
  const plan = useQuery({
    queryKey: ["plan-title", data?.plan_id],
    queryFn: () => call(tasks.GET("/v1/plans/{plan_id}", { params: { path: { plan_id: data!.plan_id } } })),
    enabled: data !== undefined,
  });
  const edit = params.get("edit") ? Number(params.get("edit")) : undefined;
  const setEdit = (valueId: number | undefined) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (valueId === undefined) next.delete("edit");
        else next.set("edit", String(valueId));
        return next;
      },
      { replace: true },
    );

  if (indicator.error) return <ProblemAlert error={indicator.error} onReload={() => indicator.refetch()} />;
  if (!data) return <Skeleton active />;
  // a unit user enters its own unit's values; the office's own entry for a unit is left to the API (no screen yet)
  const unitId = me.unit?.id;
  const enters =
    hasRole(me, "unit") && !hasRole(me, "admin", "office", "leader") && unitId != null && (data.unit_ids.length === 0 || data.unit_ids.includes(unitId));
  const kinds = periodKind(t);
  const planTitle = plan.data?.title ?? t(`计划 ${data.plan_id}`, `Plan ${data.plan_id}`);

  return (
    <>
      <Typography.Title level={3}>{data.name}</Typography.Title>
      <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t("目标", "Target")}>{targetText(t, data)}</Descriptions.Item>
        <Descriptions.Item label={t("计量单位", "Unit")}>{data.unit ?? "—"}</Descriptions.Item>
        <Descriptions.Item label={t("填报周期", "Period")}>
          {kinds[data.period] ?? data.period}
          {data.target_year ? t(`（${data.target_year} 年达到）`, ` (by ${data.target_year})`) : ""}
        </Descriptions.Item>
        <Descriptions.Item label={t("基期值", "Baseline")}>{data.baseline ?? "—"}</Descriptions.Item>
        <Descriptions.Item label={t("分值", "Points")}>{data.weight}</Descriptions.Item>
        <Descriptions.Item label={t("状态", "Status")}>
          <Tag>{data.status === "draft" ? t("草稿（待办公室完善）", "Draft (the office completes it)") : t("启用", "Active")}</Tag>
        </Descriptions.Item>
        <Descriptions.Item label={t("计划", "Plan")}>
          {hasRole(me, "admin", "office", "leader") ? <Link to={`/plans/${data.plan_id}`}>{planTitle}</Link> : planTitle}
        </Descriptions.Item>
        <Descriptions.Item label={t("填报单位", "Reported by")} span={2}>
          {data.unit_ids.length ? data.unit_ids.map(unitName).join("、") : t("计划的各责任单位", "The plan's units")}
        </Descriptions.Item>
      </Descriptions>
      {enters && data.status === "active" && (
        <Card title={edit === undefined ? t("填报数值", "Enter a value") : t("修改数值", "Correct a value")} style={{ marginBottom: 16 }}>
          <ValueForm key={edit ?? "new"} indicator={data} valueId={edit} onEdit={setEdit} />
        </Card>
      )}
      <Card title={t("已填报数值", "Values entered")}>
        <IndicatorValues indicator={data} onCorrect={enters ? setEdit : undefined} />
      </Card>
    </>
  );
}
