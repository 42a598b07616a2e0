import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type Answers, json, renderAt, type Sent, stubServices } from "../../test/render";
import { DraftReviewPage } from "./DraftReviewPage";

const SOURCE = "一、总体要求\n（一）开展质量提升行动，质监局牵头。\n（二）建设知名品牌示范区，广电局负责。\n";
const span = (words: string) => [SOURCE.indexOf(words), SOURCE.indexOf(words) + words.length];

function draft(overrides: { unknown?: string[]; units?: { name: string; unit_id: number | null }[] } = {}) {
  const unknown = overrides.unknown ?? ["广电局"];
  return {
    id: 7,
    title: "品牌示范区实施方案",
    source_name: "方案.txt",
    status: "open",
    plan_id: null,
    tasks: 3,
    unknown_units: unknown.length,
    version: 1,
    created_at: "2026-12-01T00:00:00Z",
    updated_at: "2026-12-01T00:00:00Z",
    source_text: SOURCE,
    draft: {
      plan: { title: "品牌示范区实施方案", doc_number: null, issuer: "测试县人民政府", issued_on: null },
      tasks: [
        { number: "一", level: 0, title: "总体要求", lead_units: [], span: span("一、总体要求") },
        { number: "（一）", parent: 0, level: 1, title: "开展质量提升行动", lead_units: ["质监局"], span: span("（一）开展质量提升行动，质监局牵头。") },
        { number: "（二）", parent: 0, level: 1, title: "建设知名品牌示范区", lead_units: ["广电局"], span: span("（二）建设知名品牌示范区，广电局负责。") },
      ],
      unknown_units: unknown,
      units: overrides.units ?? [
        { name: "质监局", unit_id: 5, collective: false },
        { name: "广电局", unit_id: null, collective: false },
      ],
    },
    warnings: unknown.map((name) => ({
      loc: ["draft", "tasks", 2, "lead_units"],
      code: "unit_unknown",
      message: `Unknown unit ${name}`,
      message_zh: `单位无法识别：${name}`,
      value: name,
      candidates: [{ id: 12, name: "测试县文化广电新闻出版局" }],
    })),
  };
}

let sent: Sent[];
let answers: Answers;

beforeEach(() => {
  answers = {
    "GET /v1/plan-drafts/7": () => json(draft(), 200, { ETag: '"d1"' }),
  };
  sent = stubServices(answers);
});

afterEach(() => {
  vi.unstubAllGlobals();
  sessionStorage.clear();
});

const review = () => renderAt(<DraftReviewPage />, { path: "/imports/7", route: "/imports/:draftId" });

describe("the draft review", () => {
  it("lists the draft's tasks and marks the selected task's words in the document", async () => {
    const user = userEvent.setup({ delay: null });
    review();
    const tasks = await screen.findByTestId("draft-tasks");
    expect(within(tasks).getByText("开展质量提升行动")).toBeInTheDocument();
    expect(screen.getByTestId("draft-source")).toHaveTextContent("建设知名品牌示范区，广电局负责。");
    expect(screen.queryByTestId("draft-span")).toBeNull();

    await user.click(within(tasks).getByText("建设知名品牌示范区"));
    expect(await screen.findByTestId("draft-span")).toHaveTextContent(/^（二）建设知名品牌示范区，广电局负责。$/);

    // by keyboard too
    within(tasks).getByText("开展质量提升行动").closest("tr")!.focus();
    await user.keyboard("{Enter}");
    await waitFor(() => expect(screen.getByTestId("draft-span")).toHaveTextContent(/^（一）开展质量提升行动，质监局牵头。$/));
  });

  it("keeps accept disabled while a unit is unmapped, unless the office creates the unknown units", async () => {
    const user = userEvent.setup({ delay: null });
    review();
    const accept = await screen.findByRole("button", { name: "接受并生成计划" });
    expect(accept).toBeDisabled();
    expect(screen.getByText("请先为每个未匹配单位选择对应单位，或勾选新建。")).toBeInTheDocument();
    await user.click(screen.getByRole("checkbox", { name: /新建在发文单位下/ }));
    expect(accept).toBeEnabled();
  });

  it("maps an unknown unit to the unit chosen, sending the draft's ETag and keeping the other units", async () => {
    const user = userEvent.setup({ delay: null });
    answers["PATCH /v1/plan-drafts/7"] = () =>
      json(draft({ unknown: [], units: [{ name: "质监局", unit_id: 5 }, { name: "广电局", unit_id: 12 }] }), 200, { ETag: '"d2"' });
    review();
    await user.click(await screen.findByRole("combobox", { name: "「广电局」对应的单位" }));
    await user.click(await screen.findByTitle("测试县文化广电新闻出版局"));

    await waitFor(() => expect(sent.some((s) => s.method === "PATCH")).toBe(true));
    const patch = sent.find((s) => s.method === "PATCH")!;
    expect(patch.headers.get("if-match")).toBe('"d1"');
    expect(patch.body).toEqual({
      units: [
        { name: "质监局", unit_id: 5, collective: false },
        { name: "广电局", unit_id: 12, collective: false },
      ],
    });
    // every unit known now: nothing to map, accept open
    await waitFor(() => expect(screen.queryByTestId("unknown-units")).toBeNull());
    expect(screen.getByRole("button", { name: "接受并生成计划" })).toBeEnabled();
  });

  it("gives the selected task a lead unit, sending the whole task list with that task changed", async () => {
    const user = userEvent.setup({ delay: null });
    answers["PATCH /v1/plan-drafts/7"] = () => json(draft(), 200, { ETag: '"d2"' });
    review();
    await user.click(within(await screen.findByTestId("draft-tasks")).getByText("总体要求"));
    await user.click(await screen.findByRole("combobox", { name: "牵头单位" }));
    await user.keyboard("县政府办公室{Enter}");
    await user.click(screen.getByRole("button", { name: "保存任务" }));

    await waitFor(() => expect(sent.some((s) => s.method === "PATCH")).toBe(true));
    const patch = sent.find((s) => s.method === "PATCH")!;
    expect(patch.headers.get("if-match")).toBe('"d1"');
    const tasks = (patch.body as { tasks: { title: string; lead_units: string[] }[] }).tasks;
    expect(tasks.map((task) => task.title)).toEqual(["总体要求", "开展质量提升行动", "建设知名品牌示范区"]);
    expect(tasks[0].lead_units).toEqual(["县政府办公室"]);
    expect(tasks[1].lead_units).toEqual(["质监局"]);
  });

  it("says plainly when someone changed the draft first", async () => {
    const user = userEvent.setup({ delay: null });
    answers["PATCH /v1/plan-drafts/7"] = () =>
      json({ type: "about:blank", title: "Stale", title_zh: "数据已变化", status: 412, code: "stale_etag" }, 412);
    review();
    await user.click(await screen.findByRole("combobox", { name: "「广电局」对应的单位" }));
    await user.click(await screen.findByTitle("测试县文化广电新闻出版局"));
    expect(await screen.findByText("数据已被他人修改，请刷新后重试")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "刷新" })).toBeInTheDocument();
  });

  it("shows a leader the draft without any change button", async () => {
    renderAt(<DraftReviewPage />, {
      path: "/imports/7",
      route: "/imports/:draftId",
      me: { kind: "user", user_id: 2, username: "leader", unit: null, roles: ["leader"], scopes: [] } as never,
    });
    expect(await screen.findByTestId("draft-tasks")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "接受并生成计划" })).toBeNull();
    expect(screen.queryByRole("button", { name: "保存" })).toBeNull();
    expect(screen.queryByRole("combobox", { name: "「广电局」对应的单位" })).toBeNull();
  });
});
