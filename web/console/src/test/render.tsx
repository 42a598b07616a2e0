/** Render a screen as the app does (i18n, queries, router at `path`, signed in as `me`) for component tests. */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import type { ReactNode } from "react";
import { MemoryRouter, Route, Routes } from "react-router-dom";
import { vi } from "vitest";
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

/** A request the console sent to a stubbed service: a JSON body parsed, a multipart one as FormData, none for GET. */
export type Sent = { method: string; path: string; headers: Headers; body: unknown };

/** Answers for `stubServices`, by "METHOD /path"; a test may change them as it goes. */
export type Answers = Record<string, () => Response>;

/** Stands the services in for `fetch`: each request is recorded in the list returned and answered from `answers`
 * (read at each request, so a test can change an answer), anything else with a 404 problem. The session is signed
 * in by a stored refresh token, which `POST /v1/auth/refresh` always honours. Undo with `vi.unstubAllGlobals()`. */
export function stubServices(answers: Answers): Sent[] {
  const sent: Sent[] = [];
  sessionStorage.setItem("luoshi.refresh", "r");
  vi.stubGlobal("fetch", async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(new URL(String(input), location.origin), init);
    const url = new URL(request.url);
    const type = request.headers.get("content-type") ?? "";
    let body: unknown = null;
    if (type.startsWith("multipart/")) body = await request.clone().formData();
    else if (request.method !== "GET") {
      const text = await request.clone().text();
      body = text ? JSON.parse(text) : null;
    }
    sent.push({ method: request.method, path: url.pathname, headers: request.headers, body });
    const key = `${request.method} ${url.pathname}`;
    const answer = answers[key] ?? (key === "POST /v1/auth/refresh" ? signedIn : undefined);
    return answer ? answer() : json({ title: "Not found", title_zh: "不存在", status: 404, code: "not_found" }, 404);
  });
  return sent;
}

const signedIn = () => json({ access_token: "a", refresh_token: "r", token_type: "bearer" });
