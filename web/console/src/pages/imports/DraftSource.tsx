/**
 * The document's text as the draft read it, with the selected task's words (its `span`, [start, end) in the text)
 * marked and scrolled into view, so the office checks each task against what the plan says.
 */
import { Typography } from "antd";
import { useEffect, useRef } from "react";
import { useT } from "../../lib/i18n";

export function DraftSource({ text, span }: { text: string; span: readonly number[] | null }) {
  const t = useT();
  const mark = useRef<HTMLElement>(null);
  const [start, end] = span && span[1] > span[0] ? span : [0, 0];
  useEffect(() => {
    mark.current?.scrollIntoView?.({ block: "center", behavior: "smooth" });
  }, [start, end]);

  return (
    <section aria-label={t("公文原文", "The document's text")} style={{ height: "100%" }}>
      <Typography.Text strong>{t("公文原文", "The document")}</Typography.Text>
      <pre
        data-testid="draft-source"
        tabIndex={0}
        style={{
          whiteSpace: "pre-wrap",
          fontFamily: "inherit",
          fontSize: 13,
          lineHeight: 1.7,
          height: 520,
          overflow: "auto",
          margin: "8px 0 0",
          padding: 12,
          background: "#fafafa",
          border: "1px solid #f0f0f0",
          borderRadius: 6,
        }}
      >
        {end > start ? (
          <>
            {text.slice(0, start)}
            <mark ref={mark} data-testid="draft-span" style={{ background: "#ffe58f", padding: 0 }}>
              {text.slice(start, end)}
            </mark>
            {text.slice(end)}
          </>
        ) : (
          text
        )}
      </pre>
    </section>
  );
}
