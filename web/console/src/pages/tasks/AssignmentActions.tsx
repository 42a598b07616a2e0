/**
 * The workflow buttons of one assignment: those its state allows for the viewer's side, as tasks-api's
 * TRANSITIONS (service/assignments.py) declare them. The unit signs for (签收), starts and asks to close; the office
 * closes (办结), returns (退回) and reopens, the last two only with a reason. Each sends the ETag the page read as
 * If-Match, so a change made on stale data is refused (412) and told plainly by ProblemAlert.
 */
import { useMutation } from "@tanstack/react-query";
import { Button, Input, Modal, Space } from "antd";
import { useState } from "react";
import { ProblemAlert } from "../../components/ProblemAlert";
import { ifMatch, read, tasks } from "../../lib/client";
import { useT } from "../../lib/i18n";
import type { operations as Tasks } from "../../api/tasks";

export type Assignment = Tasks["get_assignment"]["responses"][200]["content"]["application/json"];
type Action = "acknowledge" | "start" | "request_completion" | "close" | "return" | "reopen";
export type Side = "unit" | "office" | "none";

type Step = { sources: string[]; by: Side; zh: string; en: string; needsReason?: boolean; danger?: boolean };

// Kept in step with TRANSITIONS in services/tasks-api/luoshi_tasks/service/assignments.py: the API refuses any
// other move anyway (409), so a button shown here by mistake only ever leads to a plain error.
export const STEPS: Record<Action, Step> = {
  acknowledge: { sources: ["assigned"], by: "unit", zh: "签收", en: "Sign for" },
  start: { sources: ["acknowledged"], by: "unit", zh: "开始", en: "Start" },
  request_completion: { sources: ["acknowledged", "in_progress"], by: "unit", zh: "申请办结", en: "Ask to close" },
  close: { sources: ["completion_requested"], by: "office", zh: "办结", en: "Close" },
  return: { sources: ["completion_requested"], by: "office", zh: "退回", en: "Return", needsReason: true, danger: true },
  reopen: { sources: ["closed"], by: "office", zh: "重新打开", en: "Reopen", needsReason: true },
};

/** The actions the viewer may take on an assignment in this state. */
export function allowedActions(state: string, side: Side): Action[] {
  return (Object.keys(STEPS) as Action[]).filter((a) => STEPS[a].by === side && STEPS[a].sources.includes(state));
}

type Props = {
  assignment: Assignment;
  etag: string | null;
  side: Side;
  onChanged: (assignment: Assignment, etag: string | null) => void;
};

export function AssignmentActions({ assignment, etag, side, onChanged }: Props) {
  const t = useT();
  const [asking, setAsking] = useState<Action | null>(null);
  const [reason, setReason] = useState("");
  const move = useMutation({
    mutationFn: ({ action, comment }: { action: Action; comment?: string }) =>
      read(
        tasks.POST("/v1/assignments/{assignment_id}/transitions", {
          params: { path: { assignment_id: assignment.id }, header: ifMatch(etag) },
          body: comment ? { action, comment } : { action },
        }),
      ),
    onSuccess: ({ data, etag: next }) => {
      setAsking(null);
      setReason("");
      onChanged(data as Assignment, next);
    },
  });
  const actions = allowedActions(assignment.state, side);
  if (actions.length === 0) return null;
  return (
    <>
      <ProblemAlert error={asking ? null : move.error} style={{ marginBottom: 8 }} />
      <Space wrap>
        {actions.map((action) => (
          <Button
            key={action}
            type={action === "close" || action === "acknowledge" ? "primary" : "default"}
            danger={STEPS[action].danger}
            loading={move.isPending && move.variables?.action === action}
            onClick={() => (STEPS[action].needsReason ? setAsking(action) : move.mutate({ action }))}
          >
            {t(STEPS[action].zh, STEPS[action].en)}
          </Button>
        ))}
      </Space>
      <Modal
        open={asking !== null}
        title={asking ? t(`${STEPS[asking].zh}：请填写理由`, `${STEPS[asking].en}: give a reason`) : ""}
        okText={t("确定", "OK")}
        cancelText={t("取消", "Cancel")}
        okButtonProps={{ disabled: !reason.trim(), loading: move.isPending }}
        onOk={() => asking && move.mutate({ action: asking, comment: reason.trim() })}
        onCancel={() => setAsking(null)}
      >
        <ProblemAlert error={asking ? move.error : null} style={{ marginBottom: 8 }} />
        <Input.TextArea
          aria-label={t("理由", "Reason")}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          rows={3}
        />
      </Modal>
    </>
  );
}
