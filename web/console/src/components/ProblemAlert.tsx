/**
 * An error as the user should read it: the service's own Chinese (or English) title and detail, then each field at
 * fault (`errors`: where, and what). A change made on stale data (412) says so plainly, with a button that reads
 * the data again.
 */
import { Alert, Button } from "antd";
import type { CSSProperties } from "react";
import { isStale } from "../lib/etag";
import { useT, useI18n } from "../lib/i18n";
import { ProblemError } from "../session/api";

type Props = { error: unknown; onReload?: () => void; style?: CSSProperties };

/** `["body", "tasks", 3, "title"]` → `tasks[3].title`: where the field is, without the request's own parts. */
export function fieldPath(loc: (string | number)[]): string {
  return loc
    .filter((part, i) => !(i === 0 && (part === "body" || part === "query" || part === "path" || part === "header")))
    .map((part, i) => (typeof part === "number" ? `[${part}]` : i === 0 ? part : `.${part}`))
    .join("");
}

export function ProblemAlert({ error, onReload, style }: Props) {
  const t = useT();
  const { lang } = useI18n();
  if (!error) return null;
  if (isStale(error)) {
    return (
      <Alert
        type="warning"
        showIcon
        role="alert"
        style={style}
        message={t("数据已被他人修改，请刷新后重试", "Someone else changed this first: reload, then try again")}
        action={
          onReload && (
            <Button size="small" onClick={onReload}>
              {t("刷新", "Reload")}
            </Button>
          )
        }
      />
    );
  }
  if (!(error instanceof ProblemError)) {
    return <Alert type="error" showIcon role="alert" style={style} message={error instanceof Error ? error.message : String(error)} />;
  }
  const { problem } = error;
  const en = lang === "en";
  const title = en ? problem.title : problem.title_zh;
  const detail = en ? problem.detail : (problem.detail_zh ?? problem.detail);
  const fields = problem.errors ?? [];
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      style={style}
      message={title}
      description={
        (detail && detail !== title) || fields.length ? (
          <>
            {detail && detail !== title && <div>{detail}</div>}
            {fields.length > 0 && (
              <ul style={{ margin: "4px 0 0", paddingInlineStart: 20 }}>
                {fields.map((field, i) => (
                  <li key={i}>
                    {fieldPath(field.loc) && <code>{fieldPath(field.loc)}</code>}{" "}
                    {en ? field.message : (field.message_zh ?? field.message)}
                  </li>
                ))}
              </ul>
            )}
          </>
        ) : undefined
      }
      action={
        onReload && error.status >= 500 ? (
          <Button size="small" onClick={onReload}>
            {t("重试", "Retry")}
          </Button>
        ) : undefined
      }
    />
  );
}
