import { screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { json, renderAt } from "../../test/render";
import { Users } from "./Users";

let unitQueries: string[];

beforeEach(() => {
  unitQueries = [];
  sessionStorage.setItem("luoshi.refresh", "r");
  vi.stubGlobal("fetch", async (input: RequestInfo | URL) => {
    const request = input instanceof Request ? input : new Request(new URL(String(input), location.origin));
    const url = new URL(request.url, location.origin);
    if (url.pathname === "/v1/auth/refresh") return json({ access_token: "a", refresh_token: "r", token_type: "bearer" });
    if (url.pathname === "/v1/users") {
      const users = [
        { id: 1, username: "admin", display_name: "管理员", roles: ["admin"], unit_id: null, is_active: true },
        { id: 9, username: "zhijian", display_name: "质监局联络员", roles: ["unit"], unit_id: 3, is_active: true },
      ];
      return json({ items: users, next_cursor: null });
    }
    unitQueries.push(url.search);
    return json({ items: [{ id: 3, name: "测试县质量技术监督局", short_name: "质监局" }], next_cursor: null });
  });
});

afterEach(() => {
  vi.unstubAllGlobals();
  sessionStorage.clear();
});

describe("Users", () => {
  it("names each user's role and unit, the page's units read at once", async () => {
    renderAt(<Users />);
    expect(await screen.findByRole("cell", { name: "质监局" }, { timeout: 5000 })).toBeInTheDocument();
    expect(screen.getByRole("cell", { name: "系统管理员" })).toBeInTheDocument();
    expect(screen.getByRole("cell", { name: "责任单位" })).toBeInTheDocument();
    // one read by id for the table (the other is the 新建用户 form's unit picker)
    expect(unitQueries.filter((q) => q.includes("id="))).toEqual(["?id=3&limit=1"]);
  });
});
