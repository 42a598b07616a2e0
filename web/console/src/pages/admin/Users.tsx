/**
 * Users: created with an initial password (NewUser), listed by cursor; an admin deactivates (every session ends)
 * or activates one.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button, Popconfirm, Table, Tag } from "antd";
import type { components } from "../../api/tasks";
import { CursorPager, pagedTable } from "../../components/CursorPager";
import { ProblemAlert } from "../../components/ProblemAlert";
import { call, tasks } from "../../lib/client";
import { useT } from "../../lib/i18n";
import { useCursorPage } from "../../lib/paging";
import { NewUser, roleNames } from "./NewUser";

type User = components["schemas"]["UserRead"];

export function Users() {
  const t = useT();
  const queries = useQueryClient();
  const page = useCursorPage<User>(["users"], (cursor) => call(tasks.GET("/v1/users", { params: { query: { limit: 20, cursor } } })), {
    prefix: "u",
  });
  // the page's units by name, in one read (the user list carries only unit_id)
  const unitIds = [...new Set(page.items.flatMap((u) => (u.unit_id == null ? [] : [u.unit_id])))];
  const units = useQuery({
    queryKey: ["unit-names", unitIds],
    queryFn: () => call(tasks.GET("/v1/units", { params: { query: { id: unitIds, limit: unitIds.length } } })),
    enabled: unitIds.length > 0,
  });
  const unitName = new Map((units.data?.items ?? []).map((u) => [u.id, u.short_name || u.name]));
  const setActive = useMutation({
    mutationFn: ({ id, active }: { id: number; active: boolean }) =>
      call(
        active
          ? tasks.POST("/v1/users/{user_id}/activate", { params: { path: { user_id: id } } })
          : tasks.POST("/v1/users/{user_id}/deactivate", { params: { path: { user_id: id } } }),
      ),
    onSuccess: () => queries.invalidateQueries({ queryKey: ["users"] }),
  });
  const roles: Record<string, string> = roleNames(t);
  return (
    <>
      <NewUser />
      <ProblemAlert error={setActive.error ?? page.query.error} onReload={() => page.query.refetch()} style={{ marginBottom: 16 }} />
      <Table<User>
        rowKey="id"
        size="small"
        {...pagedTable(page)}
        locale={{ emptyText: t("暂无用户", "No users") }}
        columns={[
          { title: t("用户名", "User name"), dataIndex: "username" },
          { title: t("姓名", "Name"), dataIndex: "display_name" },
          { title: t("角色", "Roles"), render: (_, u) => u.roles.map((r) => roles[r] ?? r).join("、") },
          { title: t("单位", "Unit"), width: 160, render: (_, u) => (u.unit_id == null ? "—" : (unitName.get(u.unit_id) ?? u.unit_id)) },
          {
            title: t("状态", "State"),
            width: 180,
            render: (_, u) => (
              <>
                <Tag>{u.is_active ? t("启用", "Active") : t("已停用", "Deactivated")}</Tag>
                <Popconfirm
                  title={u.is_active ? t(`停用「${u.username}」？其会话全部结束。`, `Deactivate ${u.username}? Their sessions end.`) : t(`启用「${u.username}」？`, `Activate ${u.username}?`)}
                  okText={t("确定", "OK")}
                  cancelText={t("取消", "Cancel")}
                  onConfirm={() => setActive.mutate({ id: u.id, active: !u.is_active })}
                >
                  <Button size="small" danger={u.is_active}>
                    {u.is_active ? t("停用", "Deactivate") : t("启用", "Activate")}
                  </Button>
                </Popconfirm>
              </>
            ),
          },
        ]}
      />
      <CursorPager page={page} />
    </>
  );
}
