import { useT } from "../../lib/i18n";
import { Placeholder } from "../Placeholder";

export function ImportsPage() {
  const t = useT();
  return <Placeholder title={t("导入", "Import")} />;
}
