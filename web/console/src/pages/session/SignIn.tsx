import { Alert, Button, Card, Form, Input, Segmented, Typography } from "antd";
import { useState } from "react";
import { useI18n } from "../../lib/i18n";
import { ProblemError, signIn } from "../../session/api";

type Fields = { username: string; password: string };

export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { t, lang, setLang } = useI18n();

  async function submit({ username, password }: Fields) {
    setBusy(true);
    setError(null);
    try {
      await signIn(username, password);
      onSignedIn();
    } catch (exc) {
      setError(
        exc instanceof ProblemError
          ? lang === "en"
            ? (exc.problem.detail ?? exc.problem.title)
            : (exc.problem.detail_zh ?? exc.problem.title_zh)
          : String(exc),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <div style={{ display: "flex", justifyContent: "center", paddingTop: "12vh" }}>
      <Card style={{ width: 360 }}>
        <Typography.Title level={3} style={{ textAlign: "center" }}>
          {t("落实 · 登录", "Luoshi · Sign in")}
        </Typography.Title>
        <Form<Fields> layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item name="username" label={t("用户名", "User name")} rules={[{ required: true, message: t("请输入用户名", "Enter your user name") }]}>
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item name="password" label={t("密码", "Password")} rules={[{ required: true, message: t("请输入密码", "Enter your password") }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} role="alert" />}
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t("登录", "Sign in")}
          </Button>
        </Form>
        <Segmented
          aria-label={t("界面语言", "Language")}
          style={{ marginTop: 16 }}
          value={lang}
          onChange={(value) => setLang(value as "zh" | "en")}
          options={[
            { value: "zh", label: "中文" },
            { value: "en", label: "English" },
          ]}
        />
      </Card>
    </div>
  );
}
