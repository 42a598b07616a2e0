import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ProblemAlert } from "../components/ProblemAlert";
import { ProblemError, type Problem, signIn } from "../session/api";
import { json, renderAt } from "../test/render";
import { call, ifMatch, read, tasks } from "./client";

afterEach(() => {
  vi.unstubAllGlobals();
  sessionStorage.clear();
});

const problem = (status: number, extra: Partial<Problem> = {}) =>
  ({ type: "about:blank", title: "Invalid", title_zh: "请求内容不合法", status, code: "validation_failed", ...extra }) as Problem;

describe("ProblemAlert", () => {
  it("shows the service's Chinese title, detail and each field at fault", () => {
    const error = new ProblemError(
      422,
      problem(422, {
        detail_zh: "请检查下列字段",
        errors: [{ loc: ["body", "tasks", 2, "title"], code: "missing", message: "Field required", message_zh: "必填" }],
      }),
    );
    renderAt(<ProblemAlert error={error} />);
    expect(screen.getByRole("alert")).toHaveTextContent("请求内容不合法");
    expect(screen.getByRole("alert")).toHaveTextContent("请检查下列字段");
    expect(screen.getByRole("alert")).toHaveTextContent("tasks[2].title 必填");
  });

  it("tells a stale change plainly and offers to read again", async () => {
    const reload = vi.fn();
    renderAt(<ProblemAlert error={new ProblemError(412, problem(412, { code: "stale_etag" }))} onReload={reload} />);
    expect(screen.getByRole("alert")).toHaveTextContent("数据已被他人修改，请刷新后重试");
    await userEvent.click(screen.getByRole("button", { name: "刷新" }));
    expect(reload).toHaveBeenCalledOnce();
  });
});

describe("the typed client", () => {
  it("sends the bearer token and If-Match, refreshes once on 401, and reads the ETag", async () => {
    const sent: Request[] = [];
    const answers = [
      json({ access_token: "first", refresh_token: "r1", token_type: "bearer" }),
      json(problem(401, { code: "unauthenticated" }), 401),
      json({ access_token: "second", refresh_token: "r2", token_type: "bearer" }),
      json({ id: 4, title: "方案" }, 200, { ETag: '"v2"' }),
    ];
    vi.stubGlobal("fetch", async (input: RequestInfo, init?: RequestInit) => {
      sent.push(input instanceof Request ? input : new Request(new URL(input, location.origin), init));
      return answers.shift()!;
    });
    await signIn("clerk", "pw");
    const { data, etag } = await read(
      tasks.PATCH("/v1/plans/{plan_id}", { params: { path: { plan_id: 4 }, header: ifMatch('"v1"') }, body: { title: "方案" } }),
    );
    expect(data).toMatchObject({ id: 4 });
    expect(etag).toBe('"v2"');
    const [, refused, refreshed, retried] = sent;
    expect(refused.headers.get("Authorization")).toBe("Bearer first");
    expect(refused.headers.get("if-match")).toBe('"v1"');
    expect(refreshed.url).toMatch(/\/v1\/auth\/refresh$/);
    expect(retried.headers.get("Authorization")).toBe("Bearer second");
    expect(await retried.json()).toEqual({ title: "方案" });
  });

  it("throws the answer's Problem", async () => {
    vi.stubGlobal("fetch", async () => json(problem(404, { code: "plan_not_found", title_zh: "方案不存在" }), 404));
    sessionStorage.setItem("luoshi.refresh", "r");
    const failed = call(tasks.GET("/v1/plans/{plan_id}", { params: { path: { plan_id: 9 } } }));
    await expect(failed).rejects.toMatchObject({ status: 404, problem: { code: "plan_not_found" } });
  });
});
