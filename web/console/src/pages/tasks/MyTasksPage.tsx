import { useT } from "../../lib/i18n";
import { Placeholder } from "../Placeholder";

export function MyTasksPage() {
  const t = useT();
  return <Placeholder title={t("我的任务", "My tasks")} />;
}
