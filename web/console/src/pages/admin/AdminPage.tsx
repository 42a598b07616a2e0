/**
 * 管理 (admin only): users, units, API keys, notification channels and the working-day calendar, the tab in the URL.
 */
import { Tabs, Typography } from "antd";
import { useSearchParams } from "react-router-dom";
import { useT } from "../../lib/i18n";
import { ApiKeys } from "./ApiKeys";
import { Calendar } from "./Calendar";
import { Channels } from "./Channels";
import { Units } from "./Units";
import { Users } from "./Users";

export function AdminPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  return (
    <>
      <Typography.Title level={3}>{t("管理", "Administration")}</Typography.Title>
      <Tabs
        activeKey={params.get("tab") ?? "users"}
        onChange={(tab) => setParams({ tab })}
        destroyInactiveTabPane
        items={[
          { key: "users", label: t("用户", "Users"), children: <Users /> },
          { key: "units", label: t("单位", "Units"), children: <Units /> },
          { key: "keys", label: t("API 密钥", "API keys"), children: <ApiKeys /> },
          { key: "channels", label: t("通知渠道", "Channels"), children: <Channels /> },
          { key: "calendar", label: t("工作日历", "Calendar"), children: <Calendar /> },
        ]}
      />
    </>
  );
}
