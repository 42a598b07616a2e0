import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import type { Me } from "../session/api";
import { OFFICE_ME, renderAt } from "../test/render";
import { Shell } from "./Shell";

const as = (roles: string[]): Me => ({ ...OFFICE_ME, roles }) as Me;
const menu = () => within(screen.getByRole("navigation", { name: /主菜单|Main menu/ }));

afterEach(() => localStorage.clear());

describe("the shell", () => {
  it("offers the office its screens, and a leader only what it may read", () => {
    const office = renderAt(<Shell onSignOut={() => undefined}>x</Shell>, { me: as(["office"]) });
    for (const name of ["待办", "总览", "计划", "导入计划", "考核", "消息"]) expect(menu().getByRole("link", { name })).toBeInTheDocument();
    expect(menu().queryByRole("link", { name: "我的任务" })).toBeNull();
    office.unmount();

    renderAt(<Shell onSignOut={() => undefined}>x</Shell>, { me: as(["leader"]) });
    expect(menu().getByRole("link", { name: "计划" })).toHaveAttribute("href", "/plans");
    expect(menu().queryByRole("link", { name: "导入计划" })).toBeNull();
    expect(menu().queryByRole("link", { name: "管理" })).toBeNull();
  });

  it("switches to English and back, and remembers the choice", async () => {
    const user = userEvent.setup({ delay: null });
    renderAt(<Shell onSignOut={() => undefined}>x</Shell>);
    await user.click(screen.getByText("English"));
    expect(menu().getByRole("link", { name: "Plans" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Sign out" })).toBeInTheDocument();
    expect(localStorage.getItem("luoshi.lang")).toBe("en");
    await user.click(screen.getByText("中文"));
    expect(menu().getByRole("link", { name: "计划" })).toBeInTheDocument();
  });
});
