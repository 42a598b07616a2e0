/**
 * A small client written the way the console will be, against the types openapi-typescript generates from the
 * three services' /openapi.json. tests/platform/test_typescript.py regenerates the types and type-checks this file
 * in `make test`, so a change to the services that breaks a browser app breaks the build:
 *
 * - an error response that loses its `Problem` schema (`problem.code` on `unknown`);
 * - a list that stops being a page (`page.items`, `page.next_cursor`);
 * - an `If-Match` that stops being required (the `@ts-expect-error` lines below then expect nothing, an error).
 *
 * Everything is called on the one origin (`make run`, nginx), so paths are absolute and there is no CORS.
 */
import type { components as TasksTypes, operations as Tasks } from "../api/tasks";
import type { operations as Scoring } from "../api/scoring";
import type { operations as Notify } from "../api/notify";

type Problem = TasksTypes["schemas"]["Problem"];
type Json<R> = R extends { content: { "application/json": infer T } } ? T : never;
type ProblemOf<R> = R extends { content: { "application/problem+json": infer T } } ? T : never;

type TaskPage = Json<Tasks["list_plan_tasks"]["responses"][200]>;
type IndicatorPage = Json<Scoring["list_indicators"]["responses"][200]>;
type ChannelPage = Json<Notify["list_channels"]["responses"][200]>;
type PlanChange = Tasks["update_plan"]["requestBody"]["content"]["application/json"];
type PlanChangeHeaders = Tasks["update_plan"]["parameters"]["header"];
type PlanChangeRefused = ProblemOf<Tasks["update_plan"]["responses"][412 | 428 | 422 | 404]>;
type PublishHeaders = Scoring["publish_assessment"]["parameters"]["header"];
type PublishRefused = ProblemOf<Scoring["publish_assessment"]["responses"][409 | 412 | 428]>;
type ChannelHeaders = Notify["replace_channel"]["parameters"]["header"];
type ChannelRefused = ProblemOf<Notify["replace_channel"]["responses"][404 | 409 | 412]>;

export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(`${problem.code}: ${problem.detail ?? problem.title}`);
  }
}

async function call<T>(path: string, token: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(path, {
    ...init,
    headers: { Accept: "application/json", Authorization: `Bearer ${token}`, ...init.headers },
  });
  if (!response.ok) {
    throw new ProblemError((await response.json()) as Problem);
  }
  return (await response.json()) as T;
}

/** Every page of a list: `items`, then `next_cursor` back as `cursor` until it is null. */
async function readAll<Page extends { items: unknown[]; next_cursor?: string | null }>(
  path: string,
  token: string,
  query: Record<string, string> = {},
): Promise<Page["items"]> {
  const items: Page["items"] = [];
  let cursor: string | null | undefined;
  do {
    const params = new URLSearchParams({ ...query, limit: "100", ...(cursor ? { cursor } : {}) });
    const page = await call<Page>(`${path}?${params}`, token);
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return items;
}

export async function taskTitles(planId: number, q: string, token: string): Promise<string[]> {
  const tasks = await readAll<TaskPage>(`/v1/plans/${planId}/tasks`, token, { q });
  return tasks.map((task) => `${task.number ?? ""} ${task.title} (${task.light ?? "—"})`);
}

export async function indicatorNames(token: string): Promise<string[]> {
  return (await readAll<IndicatorPage>("/v1/indicators", token)).map((indicator) => indicator.name);
}

export async function channelNames(token: string): Promise<string[]> {
  return (await readAll<ChannelPage>("/v1/channels", token)).map((channel) => channel.name);
}

/** What to tell the user, by the problem's machine `code` (never by its wording). */
export function explain(problem: PlanChangeRefused | PublishRefused | ChannelRefused): string {
  switch (problem.code) {
    case "stale_etag":
      return `已被他人修改，请重新读取（当前版本 ${problem.current_etag ?? "?"}）`;
    case "if_match_required":
      return "请先读取再修改";
    case "unit_name_unresolved":
      return `单位名称不明确：${(problem.candidates ?? []).map((unit) => unit.name).join("、")}`;
    default:
      return problem.detail_zh ?? problem.title_zh;
  }
}

/** Read, then change with the ETag read: `If-Match` is a required header of the change. */
export async function renamePlan(planId: number, title: string, token: string): Promise<string> {
  const read = await fetch(`/v1/plans/${planId}`, { headers: { Authorization: `Bearer ${token}` } });
  const etag = read.headers.get("ETag") ?? "";
  const headers: PlanChangeHeaders = { "if-match": etag };
  const change: PlanChange = { title };
  const response = await fetch(`/v1/plans/${planId}`, {
    method: "PATCH",
    headers: { ...headers, Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify(change),
  });
  if (!response.ok) {
    return explain((await response.json()) as PlanChangeRefused);
  }
  return response.headers.get("ETag") ?? "";
}

export const publishHeaders = (etag: string): PublishHeaders => ({ "if-match": etag });
export const channelHeaders = (etag: string): ChannelHeaders => ({ "if-match": etag });

// A change without the ETag must not compile: its absence is a 428.
// @ts-expect-error If-Match is required to change a plan
export const planChangeWithoutEtag: PlanChangeHeaders = {};
// @ts-expect-error If-Match is required to publish an assessment
export const publishWithoutEtag: PublishHeaders = {};
// @ts-expect-error If-Match is required to replace a channel
export const channelWithoutEtag: ChannelHeaders = {};
