import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { json, renderAt } from "../../test/render";
import type { Me } from "../../session/api";
import { NewUser } from "./NewUser";

const ADMIN: Me = { kind: "user", user_id: 1, username: "admin", display_name: "管理员", unit: null, roles: ["admin"], scopes: [] } as Me;

let sent: unknown[];
let answer: () => Response;

beforeEach(() => {
  sent = [];
  sessionStorage.setItem("luoshi.refresh", "r");
  answer = () => json({ id: 9, username: "zhijian", display_name: "质监局联络员", roles: ["unit"], unit_id: 3, is_active: true }, 201);
  vi.stubGlobal("fetch", async (input: RequestInfo | URL) => {
    const request = input instanceof Request ? input : new Request(new URL(String(input), location.origin));
    const url = new URL(request.url, location.origin);
    if (url.pathname === "/v1/auth/refresh") return json({ access_token: "a", refresh_token: "r", token_type: "bearer" });
    if (url.pathname === "/v1/units") {
      return json({ items: [{ id: 3, name: "测试县质量技术监督局", short_name: "质监局" }], next_cursor: null });
    }
    sent.push(await request.json());
    return answer();
  });
});

afterEach(() => {
  vi.unstubAllGlobals();
  sessionStorage.clear();
});

describe("NewUser", () => {
  it("creates a unit's user with its unit and initial password", async () => {
    const user = userEvent.setup({ delay: null });
    renderAt(<NewUser />, { me: ADMIN });
    await user.type(screen.getByLabelText("用户名"), "zhijian");
    await user.type(screen.getByLabelText("姓名"), "质监局联络员");
    await user.click(screen.getByRole("combobox", { name: "所属单位" }));
    await user.click(await screen.findByTitle("测试县质量技术监督局（质监局）"));
    await user.type(screen.getByLabelText("初始密码"), "Lantern-maple-2026!");
    await user.click(screen.getByRole("button", { name: "新建用户" }));

    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toEqual({
      username: "zhijian",
      display_name: "质监局联络员",
      roles: ["unit"],
      unit_id: 3,
      password: "Lantern-maple-2026!",
    });
    expect(await screen.findByText("已创建用户「zhijian」")).toBeInTheDocument();
  });

  it("asks for the unit of a unit's user before sending", async () => {
    const user = userEvent.setup({ delay: null });
    renderAt(<NewUser />, { me: ADMIN });
    await user.type(screen.getByLabelText("用户名"), "zhijian");
    await user.type(screen.getByLabelText("初始密码"), "Lantern-maple-2026!");
    await user.click(screen.getByRole("button", { name: "新建用户" }));
    expect(await screen.findByText("请选择所属单位")).toBeInTheDocument();
    expect(sent).toEqual([]);
  });

  it("shows the service's words and each field at fault when it refuses", async () => {
    const user = userEvent.setup({ delay: null });
    answer = () =>
      json(
        {
          type: "about:blank",
          title: "Invalid request",
          title_zh: "请求参数有误",
          status: 422,
          code: "validation_failed",
          errors: [{ loc: ["body", "password"], code: "password_too_short", message: "At least 12 characters", message_zh: "密码至少 12 位" }],
        },
        422,
      );
    renderAt(<NewUser />, { me: ADMIN });
    await user.type(screen.getByLabelText("用户名"), "lingdao");
    await user.click(screen.getByRole("combobox", { name: "角色" }));
    await user.click(await screen.findByTitle("领导"));
    expect(screen.queryByRole("combobox", { name: "所属单位" })).toBeNull();
    await user.type(screen.getByLabelText("初始密码"), "short");
    await user.click(screen.getByRole("button", { name: "新建用户" }));

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("请求参数有误");
    expect(alert).toHaveTextContent("password");
    expect(alert).toHaveTextContent("密码至少 12 位");
    expect(sent).toEqual([{ username: "lingdao", display_name: null, roles: ["leader"], unit_id: null, password: "short" }]);
  });
});
