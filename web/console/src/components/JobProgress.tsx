/**
 * Long work the services run as a job (202 + `Location`): polls the job and shows how far it got, then hands the
 * finished job to `onDone`; a failed job shows each of its errors (a row and column of a table, a limit of a
 * document).
 */
import { useQuery } from "@tanstack/react-query";
import { Alert, Progress, Space, Typography } from "antd";
import { useEffect } from "react";
import type { components } from "../api/tasks";
import { useI18n, useT } from "../lib/i18n";
import { api } from "../session/api";
import { ProblemAlert } from "./ProblemAlert";

export type Job = components["schemas"]["JobRead"];

const FINISHED = new Set(["succeeded", "failed"]);

export function JobProgress({ location, onDone, interval = 1000 }: { location: string; onDone?: (job: Job) => void; interval?: number }) {
  const t = useT();
  const { lang } = useI18n();
  const job = useQuery({
    queryKey: ["job", location],
    queryFn: () => api<Job>(location),
    refetchInterval: (query) => (query.state.data && FINISHED.has(query.state.data.status) ? false : interval),
    staleTime: 0,
  });
  const status = job.data?.status;
  useEffect(() => {
    if (job.data && FINISHED.has(job.data.status)) onDone?.(job.data);
    // onDone is called once, when the job finishes
  }, [status]);

  if (job.error) return <ProblemAlert error={job.error} onReload={() => job.refetch()} />;
  const { done, total } = job.data?.progress ?? {};
  const percent = status === "succeeded" ? 100 : done && total ? Math.min(99, Math.round((done / total) * 100)) : undefined;
  const words: Record<string, string> = {
    queued: t("排队中…", "Queued…"),
    running: t("处理中…", "Working…"),
    succeeded: t("已完成", "Done"),
    failed: t("失败", "Failed"),
  };
  return (
    <Space direction="vertical" style={{ width: "100%" }} role="status" aria-live="polite">
      <Typography.Text>
        {words[status ?? "queued"]}
        {done != null && total ? ` ${done} / ${total}` : ""}
      </Typography.Text>
      <Progress
        percent={percent ?? (status === "failed" ? 100 : 30)}
        status={status === "failed" ? "exception" : status === "succeeded" ? "success" : "active"}
        showInfo={percent !== undefined}
      />
      {status === "failed" && (
        <Alert
          type="error"
          showIcon
          role="alert"
          message={t("处理失败", "The job failed")}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 20 }}>
              {(job.data?.errors ?? []).map((error, i) => (
                <li key={i}>
                  {[error.row && t(`第 ${error.row} 行`, `row ${error.row}`), error.column, error.field].filter(Boolean).join(" ")}{" "}
                  {String((lang === "en" ? error.message : (error.message_zh ?? error.message)) ?? "")}
                </li>
              ))}
            </ul>
          }
        />
      )}
    </Space>
  );
}
