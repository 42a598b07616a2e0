/**
 * The frame of every screen after sign-in: the side menu (the screens the user's roles may use), the header (who is
 * signed in, 中文/English, 退出), and the screen itself. Sized for 1366×768: a 200 px menu leaves the screen
 * about 1100 px. Narrower than a tablet (a unit's clerk on a phone) the menu opens from a 菜单 button instead, so
 * the screen keeps the whole width.
 */
import { Button, Drawer, Grid, Layout, Menu, Segmented, Space, Typography } from "antd";
import { useState, type ReactNode } from "react";
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

  // useBreakpoint is {} until measured: a wide screen until known otherwise
  const phone = Grid.useBreakpoint().md === false;
  const [menuOpen, setMenuOpen] = useState(false);
  const title = (
    <Typography.Title level={4} style={{ color: "#fff", margin: "16px 20px", whiteSpace: "nowrap" }}>
      {t("落实", "Luoshi")}
    </Typography.Title>
  );
  const menu = (
    <nav aria-label={t("主菜单", "Main menu")}>
      <Menu
        theme="dark"
        mode="inline"
        selectedKeys={selected ? [selected.path] : []}
        onClick={() => setMenuOpen(false)}
        items={entries.map((screen) => ({
          key: screen.path,
          label: <Link to={screen.path}>{lang === "en" ? screen.menu!.en : screen.menu!.zh}</Link>,
        }))}
      />
    </nav>
  );

  return (
    <Layout style={{ minHeight: "100vh" }}>
      {phone ? (
        <Drawer
          placement="left"
          width={220}
          open={menuOpen}
          onClose={() => setMenuOpen(false)}
          closable={false}
          styles={{ body: { padding: 0, background: "#001529" } }}
        >
          {title}
          {menu}
        </Drawer>
      ) : (
        <Layout.Sider width={200} theme="dark">
          {title}
          {menu}
        </Layout.Sider>
      )}
      <Layout>
        <Layout.Header
          style={{
            background: "#fff",
            padding: phone ? "0 12px" : "0 24px",
            display: "flex",
            justifyContent: phone ? "space-between" : "flex-end",
            alignItems: "center",
          }}
        >
          {phone && (
            <Button aria-expanded={menuOpen} onClick={() => setMenuOpen(true)}>
              ☰ {t("菜单", "Menu")}
            </Button>
          )}
          <Space size={phone ? "small" : "middle"}>
            <Segmented
              aria-label={t("界面语言", "Language")}
              size={phone ? "small" : "middle"}
              value={lang}
              onChange={(value) => setLang(value as "zh" | "en")}
              options={[
                { value: "zh", label: "中文" },
                { value: "en", label: "English" },
              ]}
            />
            {!phone && <Typography.Text>{me.display_name || me.username}</Typography.Text>}
            <Button onClick={onSignOut}>{t("退出", "Sign out")}</Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: phone ? 12 : 24 }}>{children}</Layout.Content>
      </Layout>
    </Layout>
  );
}
