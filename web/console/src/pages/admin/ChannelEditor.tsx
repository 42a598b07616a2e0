/**
 * 修改通知渠道: name, on/off, the settings as JSON, and the secrets as write-only fields. notify masks a secret
 * in what it reads (`********`, or a robot URL's origin); the form never shows it, not even masked: a secret field
 * starts empty, and left empty the masked value read is sent back, which notify keeps as the stored secret (and
 * refuses, naming the field, if the channel now points elsewhere). The channel's ETag is read first and sent as
 * If-Match.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Button, Form, Input, Modal, Switch, Typography } from "antd";
import { useState } from "react";
import type { components } from "../../api/notify";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useTagged } from "../../lib/etag";
import { call, ifMatch, notify } from "../../lib/client";
import { useT } from "../../lib/i18n";

type Channel = components["schemas"]["ChannelRead"];
type ChannelWrite = components["schemas"]["ChannelWrite"];
type Values = { name: string; enabled: boolean; settings: string } & Record<`secret:${string}`, string | undefined>;

// The SecretStr fields of each kind's config (services/notify/luoshi_notify/channels/): asked even when unset.
const SECRETS: Record<string, string[]> = {
  email: ["password"],
  webhook: ["secret"],
  wecom: ["webhook_url"],
  dingtalk: ["webhook_url", "secret"],
  feishu: ["webhook_url", "secret"],
  sms: ["bearer_token"],
};

const MASK = "********";

/** The config's secret fields: the kind's own, and any other value notify sent masked. */
export function secretFields(channel: Pick<Channel, "kind" | "config">): string[] {
  const masked = Object.entries(channel.config)
    .filter(([, v]) => typeof v === "string" && (v === MASK || v.endsWith(`/${MASK}`)))
    .map(([k]) => k);
  return [...new Set([...(SECRETS[channel.kind] ?? []), ...masked])];
}

/** The config to send: the settings edited, each secret typed, or else the masked value read (kept by notify). */
export function configToSend(channel: Pick<Channel, "kind" | "config">, settings: Record<string, unknown>, typed: Record<string, string | undefined>) {
  const config: Record<string, unknown> = { ...settings };
  for (const name of secretFields(channel)) {
    const value = typed[name];
    if (value) config[name] = value;
    else if (channel.config[name] != null) config[name] = channel.config[name];
  }
  return config;
}

function EditForm({ channelId, onDone }: { channelId: number; onDone: () => void }) {
  const t = useT();
  const queries = useQueryClient();
  const read = useTagged<Channel>(["channel", channelId], () => notify.GET("/v1/channels/{channel_id}", { params: { path: { channel_id: channelId } } }));
  const save = useMutation({
    mutationFn: (v: Values) => {
      const channel = read.data!.data;
      const typed = Object.fromEntries(secretFields(channel).map((n) => [n, v[`secret:${n}`]]));
      const body: ChannelWrite = {
        name: v.name.trim(),
        kind: channel.kind as ChannelWrite["kind"],
        enabled: v.enabled,
        config: configToSend(channel, JSON.parse(v.settings) as Record<string, unknown>, typed),
        scope: channel.scope as ChannelWrite["scope"],
      };
      return call(notify.PUT("/v1/channels/{channel_id}", { params: { path: { channel_id: channelId }, header: ifMatch(read.data?.etag) }, body }));
    },
    onSuccess: () => {
      queries.invalidateQueries({ queryKey: ["channels"] });
      queries.invalidateQueries({ queryKey: ["channel", channelId] });
      onDone();
    },
  });
  if (!read.data) return <ProblemAlert error={read.error} onReload={() => read.refetch()} />;
  const channel = read.data.data;
  const secrets = secretFields(channel);
  const settings = Object.fromEntries(Object.entries(channel.config).filter(([k]) => !secrets.includes(k)));
  return (
    // keyed by the ETag: read again after a 412, the form starts from the channel as it now is
    <Form<Values>
      key={read.data.etag ?? ""}
      name="edit-channel"
      layout="vertical"
      initialValues={{ name: channel.name, enabled: channel.enabled, settings: JSON.stringify(settings, null, 2) }}
      onFinish={(v) => save.mutate(v)}
    >
      <ProblemAlert error={save.error} onReload={() => read.refetch()} style={{ marginBottom: 8 }} />
      <Form.Item name="name" label={t("名称", "Name")} rules={[{ required: true, message: t("请填写名称", "Enter a name") }]}>
        <Input />
      </Form.Item>
      <Form.Item name="enabled" label={t("启用", "On")} valuePropName="checked">
        <Switch />
      </Form.Item>
      <Form.Item
        name="settings"
        label={t(`设置（${channel.kind}，JSON）`, `Settings (${channel.kind}, JSON)`)}
        rules={[
          {
            validator: async (_, text: string) => {
              const value: unknown = JSON.parse(text || "null");
              if (!value || typeof value !== "object" || Array.isArray(value)) throw new Error();
            },
            message: t("设置须为 JSON 对象", "Settings must be a JSON object"),
          },
        ]}
      >
        <Input.TextArea rows={8} spellCheck={false} style={{ fontFamily: "monospace" }} />
      </Form.Item>
      {secrets.map((name) => (
        <Form.Item
          key={name}
          name={`secret:${name}`}
          label={t(`密钥 ${name}`, `Secret ${name}`)}
          extra={channel.config[name] != null ? t("已设置；留空则保持不变", "Set; leave empty to keep it") : t("未设置", "Not set")}
        >
          <Input.Password autoComplete="new-password" visibilityToggle={false} />
        </Form.Item>
      ))}
      <Typography.Paragraph type="secondary">{t("密钥只写不读：已保存的密钥不会显示。", "Secrets are write-only: a stored one is never shown.")}</Typography.Paragraph>
      <Button type="primary" htmlType="submit" loading={save.isPending}>
        {t("保存", "Save")}
      </Button>
    </Form>
  );
}

export function ChannelEditor({ channel }: { channel: Pick<Channel, "id" | "name"> }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)} aria-label={t(`修改「${channel.name}」`, `Edit ${channel.name}`)}>
        {t("修改", "Edit")}
      </Button>
      <Modal open={open} title={t(`修改通知渠道：${channel.name}`, `Edit channel ${channel.name}`)} footer={null} onCancel={() => setOpen(false)} width={640}>
        {open && <EditForm channelId={channel.id} onDone={() => setOpen(false)} />}
      </Modal>
    </>
  );
}
