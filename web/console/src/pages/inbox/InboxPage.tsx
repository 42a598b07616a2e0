import { useT } from "../../lib/i18n";
import { Placeholder } from "../Placeholder";

export function InboxPage() {
  const t = useT();
  return <Placeholder title={t("收件箱", "Inbox")} />;
}
