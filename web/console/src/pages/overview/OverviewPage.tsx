import { useT } from "../../lib/i18n";
import { Placeholder } from "../Placeholder";

export function OverviewPage() {
  const t = useT();
  return <Placeholder title={t("总览", "Overview")} />;
}
