/** Words for an indicator's facts as the API gives them (comparator, period kind, value status) in both languages. */
import type { components } from "../../api/scoring";

export type Indicator = components["schemas"]["IndicatorRead"];
export type Value = components["schemas"]["ValueRead"];
type T = (zh: string, en: string) => string;

const COMPARATORS: Record<string, [string, string]> = {
  ">=": ["不低于", "at least"],
  ">": ["高于", "above"],
  "=": ["等于", "exactly"],
  "<=": ["不高于", "at most"],
  "<": ["低于", "below"],
  range: ["介于", "between"],
};

/** The target as a sentence: 「不低于 90%」, 「介于 3–5 个」, or the benchmark it is measured against. */
export function targetText(t: T, i: Indicator): string {
  const [zh, en] = COMPARATORS[i.comparator] ?? [i.comparator, i.comparator];
  const unit = i.unit ?? "";
  if (i.target === null) return i.benchmark_name ? t(`${zh}${i.benchmark_name}`, `${en} ${i.benchmark_name}`) : "—";
  const amount = i.comparator === "range" && i.target_high !== null ? `${i.target}–${i.target_high}${unit}` : `${i.target}${unit}`;
  return t(`${zh} ${amount}`, `${en} ${amount}`);
}

export function periodKind(t: T): Record<string, string> {
  return { monthly: t("按月", "Monthly"), quarterly: t("按季", "Quarterly"), yearly: t("按年", "Yearly"), cumulative: t("累计", "Cumulative") };
}

/** What a period of this kind looks like (the API checks the same forms). */
export const PERIOD_EXAMPLE: Record<string, string> = { monthly: "2026-09", quarterly: "2026-Q3", yearly: "2026", cumulative: "2026" };
export const PERIOD_FORM: Record<string, RegExp> = {
  monthly: /^[1-9][0-9]{3}-(0[1-9]|1[0-2])$/,
  quarterly: /^[1-9][0-9]{3}-Q[1-4]$/,
  yearly: /^[1-9][0-9]{3}$/,
  cumulative: /^[1-9][0-9]{3}$/,
};

export function valueStatus(t: T): Record<string, string> {
  return { entered: t("待核实", "To verify"), verified: t("已核实", "Verified") };
}
