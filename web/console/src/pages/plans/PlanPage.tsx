import { useT } from "../../lib/i18n";
import { Placeholder } from "../Placeholder";

export function PlanPage() {
  const t = useT();
  return <Placeholder title={t("计划详情", "Plan")} />;
}
