import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { json, renderAt } from "../../test/render";
import { ChannelEditor, configToSend, secretFields } from "./ChannelEditor";

const WEBHOOK = {
  id: 4,
  name: "督查平台",
  kind: "webhook",
  enabled: true,
  scope: { plan_ids: [], kinds: [] },
  version: 2,
  config: { kind: "webhook", url: "https://hooks.example.gov.cn/luoshi", secret: "********" },
};

let sent: { body: unknown; ifMatch: string | null }[];

beforeEach(() => {
  sent = [];
  sessionStorage.setItem("luoshi.refresh", "r");
  vi.stubGlobal("fetch", async (input: RequestInfo | URL) => {
    const request = input instanceof Request ? input : new Request(new URL(String(input), location.origin));
    const url = new URL(request.url, location.origin);
    if (url.pathname === "/v1/auth/refresh") return json({ access_token: "a", refresh_token: "r", token_type: "bearer" });
    if (request.method === "GET") return json(WEBHOOK, 200, { ETag: '"channel-4-v2"' });
    sent.push({ body: await request.json(), ifMatch: request.headers.get("If-Match") });
    return json({ ...WEBHOOK, version: 3 }, 200, { ETag: '"channel-4-v3"' });
  });
});

afterEach(() => {
  vi.unstubAllGlobals();
  sessionStorage.clear();
});

describe("ChannelEditor", () => {
  it("knows each kind's secrets, and any value read masked", () => {
    expect(secretFields({ kind: "dingtalk", config: { webhook_url: "https://oapi.dingtalk.com/********", secret: null } })).toEqual(["webhook_url", "secret"]);
    expect(secretFields({ kind: "email", config: { host: "smtp", token: "********" } })).toEqual(["password", "token"]);
  });

  it("sends a secret typed, else the masked value read back, and never an unset one", () => {
    const channel = { kind: "dingtalk", config: { webhook_url: "https://oapi.dingtalk.com/********", secret: null } };
    expect(configToSend(channel, { msgtype: "text" }, {})).toEqual({ msgtype: "text", webhook_url: "https://oapi.dingtalk.com/********" });
    expect(configToSend(channel, {}, { webhook_url: "https://oapi.dingtalk.com/robot/send?access_token=x", secret: "SEC1" })).toEqual({
      webhook_url: "https://oapi.dingtalk.com/robot/send?access_token=x",
      secret: "SEC1",
    });
  });

  it("never shows the secret, and sends the ETag it read with a new one typed", async () => {
    const user = userEvent.setup({ delay: null });
    renderAt(<ChannelEditor channel={{ id: 4, name: "督查平台" }} />);
    await user.click(screen.getByRole("button", { name: "修改「督查平台」" }));
    const secret = await screen.findByLabelText("密钥 secret");
    expect(secret).toHaveValue("");
    expect(document.body.innerHTML).not.toContain("********");
    await user.type(secret, "new-signing-secret");
    await user.click(screen.getByRole("button", { name: /保\s?存/ }));

    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toEqual({
      ifMatch: '"channel-4-v2"',
      body: {
        name: "督查平台",
        kind: "webhook",
        enabled: true,
        scope: { plan_ids: [], kinds: [] },
        config: { kind: "webhook", url: "https://hooks.example.gov.cn/luoshi", secret: "new-signing-secret" },
      },
    });
  });
});
