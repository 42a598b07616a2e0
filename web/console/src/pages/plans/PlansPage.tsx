import { useT } from "../../lib/i18n";
import { Placeholder } from "../Placeholder";

export function PlansPage() {
  const t = useT();
  return <Placeholder title={t("计划", "Plans")} />;
}
