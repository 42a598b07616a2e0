import { useT } from "../../lib/i18n";
import { Placeholder } from "../Placeholder";

export function AssessPage() {
  const t = useT();
  return <Placeholder title={t("考核", "Assessment")} />;
}
