import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Button, Layout, Space, Spin, Typography } from "antd";
import { useState } from "react";
import { Home } from "./pages/Home";
import { SignIn } from "./pages/SignIn";
import { api, type Me, signOut, signedIn } from "./session/api";

export function App() {
  const [active, setActive] = useState(signedIn());
  const client = useQueryClient();
  const me = useQuery({ queryKey: ["me"], queryFn: () => api<Me>("/v1/me"), enabled: active, retry: false });

  if (!active || me.isError) {
    return <SignIn onSignedIn={() => { client.clear(); setActive(true); }} />;
  }
  if (!me.data) return <Spin fullscreen />;
  return (
    <Layout style={{ minHeight: "100vh" }}>
      <Layout.Header style={{ display: "flex", alignItems: "center", justifyContent: "space-between" }}>
        <Typography.Title level={4} style={{ color: "#fff", margin: 0 }}>
          落实 · 工作台
        </Typography.Title>
        <Space>
          <Typography.Text style={{ color: "#fff" }}>{me.data.display_name || me.data.username}</Typography.Text>
          <Button
            onClick={async () => {
              await signOut();
              client.clear();
              setActive(false);
            }}
          >
            退出
          </Button>
        </Space>
      </Layout.Header>
      <Layout.Content style={{ padding: 24 }}>
        <Home me={me.data} />
      </Layout.Content>
    </Layout>
  );
}
