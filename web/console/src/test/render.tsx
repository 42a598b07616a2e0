/** Render a screen as the app does (i18n, queries, router at `path`, signed in as `me`) for component tests. */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import type { ReactNode } from "react";
import { MemoryRouter, Route, Routes } from "react-router-dom";
import { I18nProvider } from "../lib/i18n";
import { MeProvider } from "../lib/me";
import type { Me } from "../session/api";

export const OFFICE_ME: Me = {
  kind: "user",
  user_id: 1,
  username: "office-clerk",
  display_name: "办公室",
  unit: null,
  roles: ["office"],
  scopes: [],
} as Me;

export function renderAt(ui: ReactNode, { path = "/", route = "/", me = OFFICE_ME }: { path?: string; route?: string; me?: Me } = {}) {
  const queries = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  return render(
    <I18nProvider initial="zh">
      <QueryClientProvider client={queries}>
        <MeProvider me={me}>
          <MemoryRouter initialEntries={[path]}>
            <Routes>
              <Route path={route} element={ui} />
            </Routes>
          </MemoryRouter>
        </MeProvider>
      </QueryClientProvider>
    </I18nProvider>,
  );
}

/** A JSON answer as a service gives it. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  const type = status >= 400 ? "application/problem+json" : "application/json";
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": type, ...headers } });
}
