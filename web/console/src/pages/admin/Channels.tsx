/**
 * Notification channels (notify), listed by cursor: name, kind, on or off; the list shows no config. A channel is
 * changed in ChannelEditor, whose secrets are write-only.
 */
import { Table, Tag } from "antd";
import type { components } from "../../api/notify";
import { CursorPager, pagedTable } from "../../components/CursorPager";
import { ProblemAlert } from "../../components/ProblemAlert";
import { call, notify } from "../../lib/client";
import { useT } from "../../lib/i18n";
import { useCursorPage } from "../../lib/paging";
import { ChannelEditor } from "./ChannelEditor";

type Channel = components["schemas"]["ChannelRead"];

export function Channels() {
  const t = useT();
  const page = useCursorPage<Channel>(["channels"], (cursor) => call(notify.GET("/v1/channels", { params: { query: { limit: 20, cursor } } })), {
    prefix: "c",
  });
  return (
    <>
      <ProblemAlert error={page.query.error} onReload={() => page.query.refetch()} style={{ marginBottom: 16 }} />
      <Table<Channel>
        rowKey="id"
        size="small"
        {...pagedTable(page)}
        locale={{ emptyText: t("暂无通知渠道", "No channels") }}
        columns={[
          { title: t("名称", "Name"), dataIndex: "name" },
          { title: t("类型", "Kind"), dataIndex: "kind", width: 140 },
          { title: t("状态", "State"), width: 120, render: (_, c) => <Tag>{c.enabled ? t("启用", "On") : t("停用", "Off")}</Tag> },
          { title: t("操作", "Actions"), width: 100, render: (_, c) => <ChannelEditor channel={c} /> },
        ]}
      />
      <CursorPager page={page} />
    </>
  );
}
