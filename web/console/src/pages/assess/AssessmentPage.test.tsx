import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type Answers, json, renderAt, type Sent, stubServices } from "../../test/render";
import type { Me } from "../../session/api";
import { AssessmentPage } from "./AssessmentPage";

const assessment = (status: string, published = false) => ({
  id: 3, scheme_id: 1, plan_id: 2, period: "2026", run_version: 1, status, job_id: 9, summary: null,
  published, published_at: published ? "2026-12-04T00:00:00Z" : null, published_by: published ? "office-clerk" : null,
  version: 1, created_at: "2026-12-04T00:00:00Z",
});
const CARD = {
  assessment_id: 3, unit_id: 5, unit_name: "县质监局", total: 18, max_total: 20, percent: 90, rank: 1, grade: "优秀",
  lines: [
    { kind: "indicator", ref: "11", name: "品牌示范企业数", value: 9, target: 10, rule: "linear", points: 18, max_points: 20, flags: [],
      explain_zh: "完成 9，目标 10，按比例得 18 分", explain_en: "9 of target 10: 18 points pro rata" },
  ],
};

let sent: Sent[];
let answers: Answers;

beforeEach(() => {
  let jobReads = 0;
  answers = {
    "GET /v1/assessments/3": () => json(assessment(jobReads > 1 ? "done" : "running"), 200, { ETag: '"a1"' }),
    "GET /v1/assessments/3/job": () => {
      jobReads += 1;
      const status = jobReads > 1 ? "succeeded" : "running";
      return json({ id: 9, kind: "assessment", status, progress: { done: jobReads, total: 2 }, errors: [], result: null });
    },
    "GET /v1/assessments/3/ranking": () => json({ items: [{ rank: 1, unit_id: 5, unit_name: "县质监局", total: 18, percent: 90, grade: "优秀" }], next_cursor: null }),
    "GET /v1/assessments/3/scorecards/5": () => json(CARD),
    "POST /v1/assessments/3/publish": () => json({ title: "Stale", title_zh: "数据已被他人修改", status: 412, code: "stale_etag" }, 412),
  };
  sent = stubServices(answers);
});

afterEach(() => {
  vi.unstubAllGlobals();
  sessionStorage.clear();
});

describe("an assessment run", () => {
  it("follows the job, then shows the ranking and a unit's scorecard with its explanation, and publishes with If-Match", async () => {
    const user = userEvent.setup({ delay: null });
    renderAt(<AssessmentPage />, { path: "/assess/3", route: "/assess/:assessmentId" });
    expect(await screen.findByText("处理中… 1 / 2")).toBeTruthy();
    const unit = await screen.findByRole("link", { name: "县质监局" }, { timeout: 8000 });
    await user.click(unit);
    const card = await screen.findByRole("region", { name: "评分卡" });
    expect(await within(card).findByText("完成 9，目标 10，按比例得 18 分")).toBeTruthy();
    expect(within(card).getAllByText("18 / 20")).toHaveLength(2); // the total and the line

    await user.click(screen.getByRole("button", { name: /发\s?布/ }));
    // the confirmation's own button (Ant Design spaces two-character labels: 发 布)
    const tooltip = await screen.findByRole("tooltip");
    await user.click(within(tooltip).getByRole("button", { name: /发\s?布/ }));
    await waitFor(() => expect(sent.some((s) => s.method === "POST" && s.path === "/v1/assessments/3/publish")).toBe(true));
    const publish = sent.find((s) => s.method === "POST" && s.path === "/v1/assessments/3/publish")!;
    expect(publish.headers.get("if-match")).toBe('"a1"');
    expect(await screen.findByText(/数据已被他人修改/)).toBeTruthy();
  }, 30000);

  it("shows a unit its own published scorecard and no ranking or publish button", async () => {
    answers["GET /v1/assessments/3"] = () => json(assessment("done", true), 200, { ETag: '"a2"' });
    const me = { kind: "user", user_id: 4, username: "zhijian", display_name: null, unit: { id: 5, name: "县质监局" }, roles: ["unit"], scopes: [] } as unknown as Me;
    renderAt(<AssessmentPage />, { path: "/assess/3", route: "/assess/:assessmentId", me });
    const card = await screen.findByRole("region", { name: "评分卡" });
    expect(await within(card).findByText("完成 9，目标 10，按比例得 18 分")).toBeTruthy();
    expect(screen.queryByText("排名")).toBeNull();
    expect(screen.queryByRole("button", { name: /发\s?布/ })).toBeNull();
  }, 30000);
});
