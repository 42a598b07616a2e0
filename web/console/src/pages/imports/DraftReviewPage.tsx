import { useT } from "../../lib/i18n";
import { Placeholder } from "../Placeholder";

export function DraftReviewPage() {
  const t = useT();
  return <Placeholder title={t("草稿审核", "Draft review")} />;
}
