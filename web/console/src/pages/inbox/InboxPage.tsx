/**
 * 消息 (/inbox): notify's in-app messages with the unread count, marked read one by one or all at once; the
 * caller's delivery preferences; and the bulletins (通报) the caller may read, downloaded as Excel or Word.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Badge, Button, Card, List, Space, Typography } from "antd";
import { CursorPager } from "../../components/CursorPager";
import { ProblemAlert } from "../../components/ProblemAlert";
import { call, notify } from "../../lib/client";
import { useT } from "../../lib/i18n";
import { useCursorPage } from "../../lib/paging";
import type { operations } from "../../api/notify";
import { bearerToken } from "../../session/api";
import { Preferences } from "./Preferences";

type Item = operations["get_inbox"]["responses"][200]["content"]["application/json"]["items"][number];
type Bulletin = operations["list_bulletins"]["responses"][200]["content"]["application/json"]["items"][number];

/** A bulletin's file: the download needs the bearer token, so it is fetched and handed to the browser as a blob. */
async function download(bulletin: Bulletin, fmt: "xlsx" | "docx") {
  const answer = await fetch(`/v1/bulletins/${bulletin.id}.${fmt}`, { headers: { Authorization: `Bearer ${await bearerToken()}` } });
  if (!answer.ok) throw new Error(`HTTP ${answer.status}`);
  const link = document.createElement("a");
  link.href = URL.createObjectURL(await answer.blob());
  link.download = `${bulletin.title}.${fmt}`;
  link.click();
  URL.revokeObjectURL(link.href);
}

function Bulletins() {
  const t = useT();
  const bulletins = useQuery({ queryKey: ["bulletins"], queryFn: () => call(notify.GET("/v1/bulletins", { params: { query: { limit: 20 } } })) });
  const get = useMutation({ mutationFn: ({ b, fmt }: { b: Bulletin; fmt: "xlsx" | "docx" }) => download(b, fmt) });
  return (
    <Card title={t("通报", "Bulletins")} data-testid="bulletins">
      <ProblemAlert error={bulletins.error ?? get.error} onReload={() => bulletins.refetch()} />
      <List
        loading={bulletins.isPending}
        locale={{ emptyText: <Typography.Text type="secondary">{t("暂无通报", "No bulletins")}</Typography.Text> }}
        dataSource={bulletins.data?.items ?? []}
        renderItem={(b) => (
          <List.Item key={b.id}>
            <Space direction="vertical" size={2}>
              <Typography.Text>{b.title}</Typography.Text>
              <Space wrap>
                <Button size="small" onClick={() => get.mutate({ b, fmt: "xlsx" })}>
                  {t("下载 Excel", "Excel")}
                </Button>
                <Button size="small" onClick={() => get.mutate({ b, fmt: "docx" })}>
                  {t("下载 Word", "Word")}
                </Button>
              </Space>
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}

export function InboxPage() {
  const t = useT();
  const queries = useQueryClient();
  const page = useCursorPage<Item>(["inbox-page"], (cursor) => call(notify.GET("/v1/inbox", { params: { query: { limit: 20, cursor } } })));
  const unread = (page.query.data as { unread?: number } | undefined)?.unread ?? 0;
  const mark = useMutation({
    mutationFn: (id: number | null) =>
      call(id === null ? notify.POST("/v1/inbox/read-all") : notify.POST("/v1/inbox/{item_id}/read", { params: { path: { item_id: id } } })),
    onSuccess: () => queries.invalidateQueries(), // the count, the home page's inbox and 待办's urgings all change
  });
  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      <Card
        data-testid="messages"
        title={
          <Space>
            {t("消息", "Messages")}
            <Badge count={unread} showZero color={unread ? "#a8071a" : "#595959"} />
            <Typography.Text type="secondary">{t(`未读 ${unread} 条`, `${unread} unread`)}</Typography.Text>
          </Space>
        }
        extra={
          <Button size="small" disabled={!unread} loading={mark.isPending && mark.variables === null} onClick={() => mark.mutate(null)}>
            {t("全部已读", "Mark all read")}
          </Button>
        }
      >
        <ProblemAlert error={page.query.error ?? mark.error} onReload={() => page.query.refetch()} />
        <List
          loading={page.query.isPending}
          locale={{ emptyText: <Typography.Text type="secondary">{t("暂无消息", "No messages")}</Typography.Text> }}
          dataSource={page.items}
          renderItem={(item) => (
            <List.Item
              key={item.id}
              actions={
                item.read_at
                  ? []
                  : [
                      <Button key="read" size="small" type="link" onClick={() => mark.mutate(item.id)}>
                        {t("标为已读", "Mark read")}
                      </Button>,
                    ]
              }
            >
              <Space direction="vertical" size={2} style={{ minWidth: 0 }}>
                <Typography.Text strong={!item.read_at}>{item.subject}</Typography.Text>
                <Typography.Text type="secondary" style={{ whiteSpace: "pre-wrap" }}>
                  {item.body}
                </Typography.Text>
              </Space>
            </List.Item>
          )}
        />
        <CursorPager page={page} />
      </Card>
      <Preferences />
      <Bulletins />
    </Space>
  );
}
