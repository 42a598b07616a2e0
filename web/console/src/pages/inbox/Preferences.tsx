/**
 * How the caller wants to be notified (notify's Preferences: channels, quiet hours, a daily digest). PUT replaces
 * the whole set, so the form sends every field it shows.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button, Card, Checkbox, Form, Input, InputNumber, Switch } from "antd";
import { useEffect } from "react";
import { ProblemAlert } from "../../components/ProblemAlert";
import { call, notify } from "../../lib/client";
import { useT } from "../../lib/i18n";

type Prefs = { channels: string[]; quiet_start: string; quiet_end: string; digest: boolean; digest_hour: number };
const DEFAULTS: Prefs = { channels: ["inbox", "email"], quiet_start: "22:00", quiet_end: "07:00", digest: false, digest_hour: 8 };

export function Preferences() {
  const t = useT();
  const queries = useQueryClient();
  const [form] = Form.useForm<Prefs>();
  const prefs = useQuery({ queryKey: ["preferences"], queryFn: () => call(notify.GET("/v1/preferences")) });
  useEffect(() => {
    if (!prefs.data) return;
    const stored = prefs.data.prefs as Partial<Prefs>;
    // times come back as "22:00:00"; the form shows hours and minutes
    const hhmm = (v: string | null | undefined, fallback: string) => (v ?? fallback).slice(0, 5);
    form.setFieldsValue({
      ...DEFAULTS,
      ...stored,
      quiet_start: hhmm(stored.quiet_start, DEFAULTS.quiet_start),
      quiet_end: hhmm(stored.quiet_end, DEFAULTS.quiet_end),
    });
  }, [prefs.data, form]);
  const save = useMutation({
    mutationFn: (values: Prefs) => call(notify.PUT("/v1/preferences", { body: values })),
    onSuccess: () => queries.invalidateQueries({ queryKey: ["preferences"] }),
  });
  return (
    <Card title={t("提醒设置", "Notification settings")} data-testid="preferences" loading={prefs.isPending}>
      <ProblemAlert error={prefs.error ?? save.error} onReload={() => prefs.refetch()} />
      <Form form={form} layout="vertical" onFinish={(values) => save.mutate(values)}>
        <Form.Item name="channels" label={t("接收渠道", "Channels")}>
          <Checkbox.Group
            options={[
              { label: t("站内消息", "In-app"), value: "inbox" },
              { label: t("电子邮件", "E-mail"), value: "email" },
              { label: t("短信", "SMS"), value: "sms" },
            ]}
          />
        </Form.Item>
        <Form.Item name="quiet_start" label={t("免打扰开始", "Quiet from")}>
          <Input type="time" />
        </Form.Item>
        <Form.Item name="quiet_end" label={t("免打扰结束", "Quiet until")}>
          <Input type="time" />
        </Form.Item>
        <Form.Item name="digest" label={t("每日汇总", "Daily digest")} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="digest_hour" label={t("汇总发送时刻（时）", "Digest hour")}>
          <InputNumber min={0} max={23} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={save.isPending}>
          {t("保存设置", "Save settings")}
        </Button>
        {save.isSuccess && <span style={{ marginLeft: 8 }}>{t("已保存", "Saved")}</span>}
      </Form>
    </Card>
  );
}
