import { useT } from "../../lib/i18n";
import { Placeholder } from "../Placeholder";

export function AdminPage() {
  const t = useT();
  return <Placeholder title={t("管理", "Administration")} />;
}
