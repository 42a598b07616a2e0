/**
 * The frame of every screen after sign-in: the side menu (the screens the user's roles may use), the header (who is
 * signed in, 中文/English, 退出), and the screen itself. Sized for 1366×768: a 200 px menu leaves the screen
 * about 1100 px.
 */
import { Button, Layout, Menu, Segmented, Space, Typography } from "antd";
import type { ReactNode } from "react";
import { Link, matchPath, useLocation } from "react-router-dom";
import { useI18n } from "../lib/i18n";
import { hasRole, useMe } from "../lib/me";
import { SCREENS } from "../routes";

export function Shell({ children, onSignOut }: { children: ReactNode; onSignOut: () => void }) {
  const me = useMe();
  const { lang, setLang, t } = useI18n();
  const { pathname } = useLocation();
  const entries = SCREENS.filter((screen) => screen.menu && hasRole(me, ...screen.menu.roles));
  // the menu entry of the screen shown, or of the list it was opened from (/plans/4 → 计划)
  const selected =
    entries.find((screen) => matchPath(screen.path, pathname)) ??
    entries.filter((screen) => screen.path !== "/" && pathname.startsWith(`${screen.path}/`)).at(0);

  return (
    <Layout style={{ minHeight: "100vh" }}>
      <Layout.Sider width={200} breakpoint="lg" collapsedWidth={64} theme="dark">
        <Typography.Title level={4} style={{ color: "#fff", margin: "16px 20px", whiteSpace: "nowrap" }}>
          {t("落实", "Luoshi")}
        </Typography.Title>
        <nav aria-label={t("主菜单", "Main menu")}>
          <Menu
            theme="dark"
            mode="inline"
            selectedKeys={selected ? [selected.path] : []}
            items={entries.map((screen) => ({
              key: screen.path,
              label: <Link to={screen.path}>{lang === "en" ? screen.menu!.en : screen.menu!.zh}</Link>,
            }))}
          />
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: "#fff", padding: "0 24px", display: "flex", justifyContent: "flex-end" }}>
          <Space size="middle">
            <Segmented
              aria-label={t("界面语言", "Language")}
              value={lang}
              onChange={(value) => setLang(value as "zh" | "en")}
              options={[
                { value: "zh", label: "中文" },
                { value: "en", label: "English" },
              ]}
            />
            <Typography.Text>{me.display_name || me.username}</Typography.Text>
            <Button onClick={onSignOut}>{t("退出", "Sign out")}</Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          {children}
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
