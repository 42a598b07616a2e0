import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { useLocation } from "react-router-dom";
import { useCursorPage } from "../lib/paging";
import { json, renderAt } from "../test/render";
import { CursorPager } from "./CursorPager";
import { JobProgress } from "./JobProgress";
import { taskTree } from "../pages/plans/TaskTree";

let answers: Record<string, () => Response>;
let asked: string[];

beforeEach(() => {
  asked = [];
  sessionStorage.setItem("luoshi.refresh", "r");
  answers = { "/v1/auth/refresh": () => json({ access_token: "a", refresh_token: "r", token_type: "bearer" }) };
  vi.stubGlobal("fetch", async (input: RequestInfo | URL) => {
    const url = new URL(input instanceof Request ? input.url : String(input), location.origin);
    asked.push(url.pathname + url.search);
    const answer = answers[url.pathname + url.search] ?? answers[url.pathname];
    return answer ? answer() : json({ title: "Not found", title_zh: "不存在", status: 404, code: "not_found" }, 404);
  });
});

afterEach(() => {
  vi.unstubAllGlobals();
  sessionStorage.clear();
});

function Letters() {
  const page = useCursorPage<string>(["letters"], async (cursor) => {
    const pages: Record<string, { items: string[]; next_cursor: string | null }> = {
      "": { items: ["甲", "乙"], next_cursor: "c2" },
      c2: { items: ["丙", "丁"], next_cursor: "c3" },
      c3: { items: ["戊"], next_cursor: null },
    };
    return pages[cursor ?? ""];
  });
  const { search } = useLocation();
  return (
    <>
      <p data-testid="items">{page.items.join("")}</p>
      <p data-testid="address">{search}</p>
      <CursorPager page={page} />
    </>
  );
}

describe("paging by cursor", () => {
  it("moves forward and back by the API's cursors, the page kept in the address", async () => {
    const user = userEvent.setup({ delay: null });
    renderAt(<Letters />);
    await waitFor(() => expect(screen.getByTestId("items")).toHaveTextContent("甲乙"));
    expect(screen.getByRole("button", { name: "上一页" })).toBeDisabled();

    await user.click(screen.getByRole("button", { name: "下一页" }));
    await waitFor(() => expect(screen.getByTestId("items")).toHaveTextContent("丙丁"));
    await user.click(screen.getByRole("button", { name: "下一页" }));
    await waitFor(() => expect(screen.getByTestId("items")).toHaveTextContent("戊"));
    expect(screen.getByText("第 3 页")).toBeInTheDocument();
    expect(screen.getByTestId("address")).toHaveTextContent("?cursor=c3&back=c2");
    expect(screen.getByRole("button", { name: "下一页" })).toBeDisabled();

    await user.click(screen.getByRole("button", { name: "上一页" }));
    await waitFor(() => expect(screen.getByTestId("items")).toHaveTextContent("丙丁"));
    await user.click(screen.getByRole("button", { name: "上一页" }));
    await waitFor(() => expect(screen.getByTestId("items")).toHaveTextContent("甲乙"));
    expect(screen.getByTestId("address")).toHaveTextContent(/^$/);
  });

  it("opens the page the address names (a reload, a shared link)", async () => {
    renderAt(<Letters />, { path: "/?cursor=c3&back=c2" });
    await waitFor(() => expect(screen.getByTestId("items")).toHaveTextContent("戊"));
    expect(screen.getByText("第 3 页")).toBeInTheDocument();
  });
});

describe("a job's progress", () => {
  it("shows how far the job got, then hands the finished job on", async () => {
    const states = [
      { status: "running", progress: { done: 2, total: 8 } },
      { status: "succeeded", progress: { done: 8, total: 8 }, result: { draft_id: 3 } },
    ];
    answers["/v1/jobs/5"] = () => json({ id: 5, kind: "plan_draft", attempts: 1, created_by: null, created_at: "", ...(states.length > 1 ? states.shift() : states[0]) });
    const done = vi.fn();
    renderAt(<JobProgress location="/v1/jobs/5" onDone={done} interval={20} />);
    expect(await screen.findByText("处理中… 2 / 8")).toBeInTheDocument();
    await waitFor(() => expect(done).toHaveBeenCalled());
    expect(done.mock.calls[0][0]).toMatchObject({ status: "succeeded", result: { draft_id: 3 } });
    expect(screen.getByText(/已完成/)).toBeInTheDocument();
  });

  it("lists a failed job's errors in the user's language", async () => {
    answers["/v1/jobs/6"] = () =>
      json({
        id: 6,
        kind: "breakdown_import",
        status: "failed",
        progress: {},
        attempts: 1,
        created_by: null,
        created_at: "",
        errors: [{ row: 7, column: "F", field: "完成时限", code: "deadline_unreadable", message: "Unreadable", message_zh: "完成时限无法识别：下个月吧" }],
      });
    renderAt(<JobProgress location="/v1/jobs/6" />);
    expect(await screen.findByRole("alert")).toHaveTextContent("第 7 行 F 完成时限 完成时限无法识别：下个月吧");
  });
});

describe("the task tree", () => {
  it("nests tasks under their parents in the API's order, and shows a task whose parent is absent at the top", () => {
    const task = (id: number, parent_id: number | null) => ({ id, parent_id }) as never;
    const tree = taskTree([task(1, null), task(2, 1), task(3, 2), task(4, 1), task(5, 99)]);
    expect(tree.map((n) => n.id)).toEqual([1, 5]);
    expect(tree[0].children!.map((n) => n.id)).toEqual([2, 4]);
    expect(tree[0].children![0].children!.map((n) => n.id)).toEqual([3]);
    expect(tree[1].children).toBeUndefined();
  });
});
