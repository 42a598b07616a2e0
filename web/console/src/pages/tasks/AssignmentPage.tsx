import { useT } from "../../lib/i18n";
import { Placeholder } from "../Placeholder";

export function AssignmentPage() {
  const t = useT();
  return <Placeholder title={t("任务详情", "Assignment")} />;
}
