/** A screen the menu names that is still being built; its route and menu entry are already in src/routes.tsx. */
import { Empty } from "antd";
import { useT } from "../lib/i18n";

export function Placeholder({ title }: { title: string }) {
  const t = useT();
  return (
    <>
      <h2>{title}</h2>
      <Empty description={t("建设中", "Coming soon")} />
    </>
  );
}

export function NotFound() {
  const t = useT();
  return <Empty description={t("页面不存在", "No such page")} />;
}
