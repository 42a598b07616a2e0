import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Spin } from "antd";
import { useState } from "react";
import { Route, Routes } from "react-router-dom";
import { Shell } from "./components/Shell";
import { MeProvider } from "./lib/me";
import { NotFound } from "./pages/Placeholder";
import { SignIn } from "./pages/session/SignIn";
import { SCREENS } from "./routes";
import { api, type Me, signOut, signedIn } from "./session/api";

export function App() {
  const [active, setActive] = useState(signedIn());
  const client = useQueryClient();
  const me = useQuery({ queryKey: ["me"], queryFn: () => api<Me>("/v1/me"), enabled: active, retry: false });

  // signing in keeps the address: a link to /plans/4 opened signed out shows the plan after sign-in
  if (!active || me.isError) {
    return <SignIn onSignedIn={() => { client.clear(); setActive(true); }} />;
  }
  if (!me.data) return <Spin fullscreen />;
  return (
    <MeProvider me={me.data}>
      <Shell
        onSignOut={async () => {
          await signOut();
          client.clear();
          setActive(false);
        }}
      >
        <Routes>
          {SCREENS.map((screen) => (
            <Route key={screen.path} path={screen.path} element={screen.element} />
          ))}
          <Route path="*" element={<NotFound />} />
        </Routes>
      </Shell>
    </MeProvider>
  );
}
