/**
 * 新建用户 (admin): user name, display name, role, the unit of a unit's user, and an initial password, which the
 * service checks against its password rules; what it refuses comes back as a problem naming each field at fault,
 * shown by ProblemAlert as the service words it.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Alert, Button, Form, Input, Select } from "antd";
import { useState } from "react";
import type { components } from "../../api/tasks";
import { ProblemAlert } from "../../components/ProblemAlert";
import { call, tasks } from "../../lib/client";
import { useT } from "../../lib/i18n";
import { UnitSelect } from "./UnitSelect";

type UserCreate = components["schemas"]["UserCreate"];
type Role = UserCreate["roles"][number];
type Values = { username: string; display_name?: string; role: Role; unit_id?: number | null; password: string };

export function roleNames(t: (zh: string, en: string) => string): Record<Role, string> {
  return { admin: t("系统管理员", "Administrator"), office: t("牵头办公室", "Office"), unit: t("责任单位", "Unit"), leader: t("领导", "Leader") };
}

export function NewUser() {
  const t = useT();
  const queries = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [made, setMade] = useState<string | null>(null);
  const role = Form.useWatch("role", form);
  const create = useMutation({
    mutationFn: (v: Values) => {
      const body: UserCreate = {
        username: v.username.trim(),
        display_name: v.display_name?.trim() || null,
        roles: [v.role],
        unit_id: v.unit_id ?? null,
        password: v.password,
      };
      return call(tasks.POST("/v1/users", { body }));
    },
    onSuccess: (user) => {
      setMade(user.username);
      form.resetFields();
      queries.invalidateQueries({ queryKey: ["users"] });
    },
  });
  const roles = roleNames(t);
  return (
    <Form form={form} name="new-user" layout="inline" onFinish={(v) => create.mutate(v)} initialValues={{ role: "unit" }} style={{ marginBottom: 16, rowGap: 8 }} aria-label={t("新建用户", "New user")}>
      <Form.Item name="username" label={t("用户名", "User name")} rules={[{ required: true, message: t("请填写用户名", "Enter a user name") }]}>
        <Input autoComplete="off" style={{ width: 160 }} />
      </Form.Item>
      <Form.Item name="display_name" label={t("姓名", "Name")}>
        <Input style={{ width: 140 }} />
      </Form.Item>
      <Form.Item name="role" label={t("角色", "Role")}>
        <Select<Role> style={{ width: 130 }} options={(Object.keys(roles) as Role[]).map((r) => ({ value: r, label: roles[r] }))} />
      </Form.Item>
      {role === "unit" && (
        // the service says so too (unit_role_needs_unit); asked here so the form says it before sending
        <Form.Item name="unit_id" label={t("所属单位", "Unit")} rules={[{ required: true, message: t("请选择所属单位", "Choose the unit") }]}>
          <UnitSelect />
        </Form.Item>
      )}
      <Form.Item name="password" label={t("初始密码", "Initial password")} rules={[{ required: true, message: t("请填写初始密码", "Enter an initial password") }]}>
        <Input.Password autoComplete="new-password" style={{ width: 180 }} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={create.isPending}>
        {t("新建用户", "Create user")}
      </Button>
      {(create.error || made) && (
        <div style={{ flexBasis: "100%", marginTop: 8 }}>
          <ProblemAlert error={create.error} />
          {made && !create.error && (
            <Alert type="success" showIcon closable onClose={() => setMade(null)} message={t(`已创建用户「${made}」`, `User ${made} created`)} />
          )}
        </div>
      )}
    </Form>
  );
}
