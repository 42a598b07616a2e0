/**
 * Calls to the three services on the one origin, as the signed-in user: the access token rides in memory only,
 * the refresh token in sessionStorage (a tab's session ends with the tab). A 401 is answered by one refresh and
 * one retry; an error answer is thrown as the service's Problem, which the screens show by its `code` and
 * Chinese text.
 */
import type { components as TasksTypes, operations as Tasks } from "../api/tasks";

export type Problem = TasksTypes["schemas"]["Problem"];
type Token = TasksTypes["schemas"]["Token"];
export type Me = Tasks["get_me"]["responses"][200]["content"]["application/json"];

const REFRESH_KEY = "luoshi.refresh";
let accessToken: string | null = null;

export class ProblemError extends Error {
  constructor(readonly status: number, readonly problem: Problem) {
    super(`${problem.code}: ${problem.detail ?? problem.title}`);
  }
}

/** What to show the user: the service's Chinese text when it sent one. */
export function problemText(error: unknown): string {
  if (error instanceof ProblemError) {
    return error.problem.detail_zh ?? error.problem.title_zh ?? error.problem.title;
  }
  return error instanceof Error ? error.message : String(error);
}

async function failure(response: Response): Promise<ProblemError> {
  const type = response.headers.get("Content-Type") ?? "";
  if (type.includes("json")) {
    return new ProblemError(response.status, (await response.json()) as Problem);
  }
  const title = `HTTP ${response.status}`;
  return new ProblemError(response.status, { type: "about:blank", title, title_zh: title, status: response.status, code: "http_error" } as Problem);
}

function keep(token: Token): void {
  accessToken = token.access_token;
  if (token.refresh_token) sessionStorage.setItem(REFRESH_KEY, token.refresh_token);
}

export async function signIn(username: string, password: string): Promise<void> {
  const response = await fetch("/v1/auth/token", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
    body: new URLSearchParams({ username, password }),
  });
  if (!response.ok) throw await failure(response);
  keep((await response.json()) as Token);
}

let refreshing: Promise<boolean> | null = null;

/** A new access token from the tab's refresh token; false when the session has ended. One refresh at a time:
 * the refresh token is used once, so the queries a reload starts together must share the one answer. */
export function refresh(): Promise<boolean> {
  refreshing ??= renew().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

async function renew(): Promise<boolean> {
  const refreshToken = sessionStorage.getItem(REFRESH_KEY);
  if (!refreshToken) return false;
  const response = await fetch("/v1/auth/refresh", {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ refresh_token: refreshToken }),
  });
  if (!response.ok) {
    sessionStorage.removeItem(REFRESH_KEY);
    return false;
  }
  keep((await response.json()) as Token);
  return true;
}

export async function signOut(): Promise<void> {
  const refreshToken = sessionStorage.getItem(REFRESH_KEY);
  sessionStorage.removeItem(REFRESH_KEY);
  if (refreshToken && accessToken) {
    await fetch("/v1/auth/sign-out", {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({ refresh_token: refreshToken }),
    }).catch(() => undefined);
  }
  accessToken = null;
}

/** The access token to send, renewed first when the tab has only its refresh token (after a reload). */
export async function bearerToken(): Promise<string> {
  if (accessToken === null && !(await refresh())) throw new ProblemError(401, signedOut());
  return accessToken as string;
}

export function signedIn(): boolean {
  return accessToken !== null || sessionStorage.getItem(REFRESH_KEY) !== null;
}

/** GET (or send) `path` on the one origin as the signed-in user and read its JSON. */
export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  if (accessToken === null && !(await refresh())) throw new ProblemError(401, signedOut());
  const send = () =>
    fetch(path, { ...init, headers: { Accept: "application/json", Authorization: `Bearer ${accessToken}`, ...init.headers } });
  let response = await send();
  if (response.status === 401 && (await refresh())) response = await send();
  if (!response.ok) throw await failure(response);
  return (await response.json()) as T;
}

function signedOut(): Problem {
  return {
    type: "about:blank",
    title: "Signed out",
    title_zh: "登录已失效，请重新登录",
    status: 401,
    code: "signed_out",
  } as Problem;
}
