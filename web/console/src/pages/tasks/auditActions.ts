/**
 * The audit's action codes as people say them. The one table: tasks-api writes `transition:<action>` for an
 * assignment's workflow moves (service/assignments.py) and plain verbs for the rest; a code not listed here is
 * shown as it is, so a new one is never hidden.
 */
type T = (zh: string, en: string) => string;

const ACTIONS: Record<string, [string, string]> = {
  "transition:acknowledge": ["签收", "Signed for"],
  "transition:start": ["开始办理", "Started"],
  "transition:request_completion": ["申请办结", "Asked to close"],
  "transition:close": ["办结", "Closed"],
  "transition:return": ["退回", "Returned"],
  "transition:reopen": ["重新打开", "Reopened"],
  create: ["创建", "Created"],
  update: ["修改", "Changed"],
  delete: ["删除", "Deleted"],
  archive: ["归档", "Archived"],
  submit: ["提交报告", "Report submitted"],
  attach: ["上传附件", "File attached"],
  "review:accept": ["采纳报告", "Report accepted"],
  "review:return": ["退回报告", "Report returned"],
  request: ["申请延期", "Extension asked"],
  "decide:grant": ["同意延期", "Extension granted"],
  "decide:refuse": ["不同意延期", "Extension refused"],
};

export function auditActionName(code: string, t: T): string {
  const names = ACTIONS[code];
  return names ? t(...names) : code;
}
