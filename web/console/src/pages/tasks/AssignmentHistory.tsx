/**
 * An assignment's history from tasks-api's audit (who changed what, when), its action codes and states in words
 * (`auditActionName`, `assignmentState`). The audit is readable by the office, leaders and administrators only,
 * so the page shows this to them and not to the unit.
 */
import { useQuery } from "@tanstack/react-query";
import { Card, Timeline, Typography } from "antd";
import { ProblemAlert } from "../../components/ProblemAlert";
import { call, tasks } from "../../lib/client";
import { useT } from "../../lib/i18n";
import { assignmentState } from "../plans/labels";
import { auditActionName } from "./auditActions";

export function AssignmentHistory({ assignmentId }: { assignmentId: number }) {
  const t = useT();
  const audit = useQuery({
    queryKey: ["assignment-history", assignmentId],
    queryFn: () => call(tasks.GET("/v1/audit", { params: { query: { entity: "assignment", entity_id: String(assignmentId), limit: 50 } } })),
  });
  const entries = audit.data?.items ?? [];
  const states = assignmentState(t);
  return (
    <Card title={t("办理记录", "History")} data-testid="history" loading={audit.isPending}>
      <ProblemAlert error={audit.error} onReload={() => audit.refetch()} />
      {entries.length === 0 && !audit.isPending && <Typography.Text type="secondary">{t("暂无记录", "Nothing yet")}</Typography.Text>}
      <Timeline
        items={entries.map((e) => ({
          key: e.id,
          children: (
            <Typography.Text>
              {new Date(e.at).toLocaleString("zh-CN")} · {e.actor} · {auditActionName(e.action, t)}
              {e.after && typeof e.after.state === "string" ? ` → ${states[e.after.state] ?? e.after.state}` : ""}
            </Typography.Text>
          ),
        }))}
      />
    </Card>
  );
}
