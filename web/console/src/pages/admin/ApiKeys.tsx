/**
 * API keys for other systems: create one (its secret is in the create answer only, so it shows once, here), list
 * them by cursor, revoke one. The list never has a secret, only the prefix that recognises the key.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Alert, Button, Form, Input, Popconfirm, Select, Table, Tag, Typography } from "antd";
import { useState } from "react";
import type { components } from "../../api/tasks";
import { CursorPager, pagedTable } from "../../components/CursorPager";
import { ProblemAlert } from "../../components/ProblemAlert";
import { call, tasks } from "../../lib/client";
import { useT } from "../../lib/i18n";
import { useCursorPage } from "../../lib/paging";

type Key = components["schemas"]["ApiKeyRead"];
type Scope = components["schemas"]["ApiKeyCreate"]["scopes"][number];

const SCOPES: Scope[] = ["tasks:read", "tasks:write", "tasks:*"];

export function ApiKeys() {
  const t = useT();
  const queries = useQueryClient();
  const [secret, setSecret] = useState<{ name: string; key: string } | null>(null);
  const page = useCursorPage<Key>(["api-keys"], (cursor) =>
    call(tasks.GET("/v1/api-keys", { params: { query: { limit: 20, cursor } } })),
  { prefix: "k" });
  const create = useMutation({
    mutationFn: (body: { name: string; scopes: Scope[] }) => call(tasks.POST("/v1/api-keys", { body })),
    onSuccess: (created) => {
      setSecret({ name: created.name, key: created.key });
      queries.invalidateQueries({ queryKey: ["api-keys"] });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: number) => call(tasks.DELETE("/v1/api-keys/{key_id}", { params: { path: { key_id: id } } })),
    onSuccess: () => queries.invalidateQueries({ queryKey: ["api-keys"] }),
  });

  return (
    <>
      <Form layout="inline" onFinish={(v) => create.mutate(v)} style={{ marginBottom: 16 }} initialValues={{ scopes: ["tasks:read"] }}>
        <Form.Item name="name" label={t("名称", "Name")} rules={[{ required: true, min: 2, message: t("请填写名称（至少 2 字）", "Enter a name (2 characters or more)") }]}>
          <Input style={{ width: 220 }} />
        </Form.Item>
        <Form.Item
          name="scopes"
          label={t("权限", "Scopes")}
          // min 1, not `required`: Ant Design puts aria-required on the multiple Select's <div>, which axe refuses
          rules={[{ type: "array", min: 1, message: t("请至少选择一项权限", "Choose at least one scope") }]}
        >
          <Select mode="multiple" style={{ width: 260 }} options={SCOPES.map((s) => ({ value: s, label: s }))} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={create.isPending}>
          {t("创建密钥", "Create key")}
        </Button>
      </Form>
      <ProblemAlert error={create.error ?? revoke.error} style={{ marginBottom: 16 }} />
      {secret && (
        <Alert
          type="warning"
          showIcon
          closable
          onClose={() => setSecret(null)}
          style={{ marginBottom: 16 }}
          message={t(`密钥「${secret.name}」只显示这一次，请立即保存：`, `The key "${secret.name}" is shown this once: store it now:`)}
          description={<Typography.Text code copyable data-testid="api-key-secret">{secret.key}</Typography.Text>}
        />
      )}
      <ProblemAlert error={page.query.error} onReload={() => page.query.refetch()} />
      <Table<Key>
        rowKey="id"
        size="small"
        {...pagedTable(page)}
        locale={{ emptyText: t("暂无密钥", "No keys") }}
        columns={[
          { title: t("名称", "Name"), dataIndex: "name" },
          { title: t("前缀", "Prefix"), dataIndex: "prefix", width: 120 },
          { title: t("权限", "Scopes"), render: (_, k) => k.scopes.join(", ") },
          { title: t("最近使用", "Last used"), width: 120, render: (_, k) => k.last_used_at?.slice(0, 10) ?? "—" },
          {
            title: t("状态", "State"),
            width: 160,
            render: (_, k) =>
              k.revoked_at ? (
                <Tag>{t("已吊销", "Revoked")}</Tag>
              ) : (
                <Popconfirm title={t(`吊销「${k.name}」？`, `Revoke "${k.name}"?`)} okText={t("吊销", "Revoke")} cancelText={t("取消", "Cancel")} onConfirm={() => revoke.mutate(k.id)}>
                  <Button danger size="small">{t("吊销", "Revoke")}</Button>
                </Popconfirm>
              ),
          },
        ]}
      />
      <CursorPager page={page} />
    </>
  );
}
