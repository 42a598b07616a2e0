/** Words the plan screens share: a plan's status, an assignment's state, a deadline as the plan wrote it. */
import type { components } from "../../api/tasks";

type T = (zh: string, en: string) => string;
export type Task = components["schemas"]["TaskRead"];

export function planStatus(t: T): Record<string, string> {
  return {
    draft: t("草稿", "Draft"),
    active: t("执行中", "Active"),
    closed: t("已结束", "Closed"),
    archived: t("已归档", "Archived"),
  };
}

export function assignmentState(t: T): Record<string, string> {
  return {
    assigned: t("已交办", "Assigned"),
    acknowledged: t("已承办", "Acknowledged"),
    in_progress: t("办理中", "In progress"),
    completion_requested: t("申请办结", "Completion requested"),
    closed: t("已办结", "Closed"),
  };
}

/** The light a plan's counts of open assignments give: the worst one present. */
export function worstLight(counts: { red: number; yellow: number; green: number } | undefined) {
  if (!counts) return undefined;
  if (counts.red > 0) return "red" as const;
  if (counts.yellow > 0) return "yellow" as const;
  if (counts.green > 0) return "green" as const;
  return undefined;
}
