/**
 * Typed clients of the three services (openapi-fetch over the types generated from their OpenAPI), all on the one
 * origin. A middleware sends the signed-in user's bearer token and answers a 401 with one refresh and one retry;
 * `call`/`read` turn an error answer into the ProblemError the screens show (ProblemAlert).
 *
 *   const plans = await call(tasks.GET("/v1/plans", { params: { query: { limit: 20 } } }));
 *   const { data: plan, etag } = await read(tasks.GET("/v1/plans/{plan_id}", { params: { path: { plan_id } } }));
 *   await call(tasks.PATCH("/v1/plans/{plan_id}", { params: { path: { plan_id }, header: ifMatch(etag) }, body }));
 */
import createClient, { type Middleware } from "openapi-fetch";
import type { paths as NotifyPaths } from "../api/notify";
import type { paths as ScoringPaths } from "../api/scoring";
import type { paths as TasksPaths } from "../api/tasks";
import { bearerToken, type Problem, ProblemError, refresh } from "../session/api";

// The request as it was before sending (a sent body cannot be read again), by openapi-fetch's request id.
const unsent = new Map<string, Request>();

export const auth: Middleware = {
  async onRequest({ request, id }) {
    request.headers.set("Authorization", `Bearer ${await bearerToken()}`);
    if (!request.headers.has("Accept")) request.headers.set("Accept", "application/json");
    unsent.set(id, request.clone());
    return request;
  },
  async onResponse({ response, id }) {
    const original = unsent.get(id);
    unsent.delete(id);
    if (response.status !== 401 || !original || !(await refresh())) return response;
    original.headers.set("Authorization", `Bearer ${await bearerToken()}`);
    return fetch(original);
  },
  onError({ id }) {
    unsent.delete(id);
  },
};

function client<Paths extends {}>() {
  // the page's own origin (the one origin serves the services); fetch is looked up at call time, so tests can stub it
  const made = createClient<Paths>({ baseUrl: globalThis.location?.origin ?? "", fetch: (request) => globalThis.fetch(request) });
  made.use(auth);
  return made;
}

export const tasks = client<TasksPaths>();
export const scoring = client<ScoringPaths>();
export const notify = client<NotifyPaths>();

type Answer<T> = { data?: T; error?: unknown; response: Response };

/** The answer's data, or its Problem thrown as a ProblemError. */
export async function call<T>(pending: Promise<Answer<T>>): Promise<T> {
  return (await read(pending)).data;
}

/** The answer's data, its ETag (what a later change sends as If-Match) and its Location (a job, a new resource). */
export async function read<T>(pending: Promise<Answer<T>>): Promise<{ data: T; etag: string | null; location: string | null }> {
  const { data, error, response } = await pending;
  if (!response.ok || error !== undefined) {
    throw new ProblemError(response.status, asProblem(response.status, error));
  }
  return { data: data as T, etag: response.headers.get("ETag"), location: response.headers.get("Location") };
}

/** A file as a multipart form's `file` field, for the upload routes (openapi-fetch sends FormData as it is). */
export function fileForm(file: File): { body: never; bodySerializer: () => FormData } {
  const form = new FormData();
  form.append("file", file, file.name);
  return { body: {} as never, bodySerializer: () => form };
}

/** The If-Match header of a change, from the ETag its screen read. */
export function ifMatch(etag: string | null | undefined): { "if-match": string } {
  return { "if-match": etag ?? "" };
}

/** A problem+json answer as it is; anything else (a proxy's HTML page) as a Problem made from its status. */
function asProblem(status: number, error: unknown): Problem {
  if (error && typeof error === "object" && "code" in error) return error as Problem;
  const title = `HTTP ${status}`;
  const detail = typeof error === "string" && error.length < 300 ? error : undefined;
  return { type: "about:blank", title, title_zh: title, status, code: "http_error", detail, detail_zh: detail } as Problem;
}
