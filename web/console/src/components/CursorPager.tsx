/**
 * 上一页 / 下一页 under a cursor list (the API pages by cursor, so there are no page numbers to jump to), and the
 * props that make an Ant Design Table show one page of it.
 */
import { Button, Space, type TableProps, Typography } from "antd";
import { useT } from "../lib/i18n";
import type { CursorPageState } from "../lib/paging";

export function CursorPager<T>({ page }: { page: CursorPageState<T> }) {
  const t = useT();
  if (!page.hasPrev && !page.hasNext) return null;
  return (
    <Space style={{ marginTop: 12, justifyContent: "flex-end", width: "100%" }} aria-label={t("分页", "Pages")}>
      <Button onClick={page.prev} disabled={!page.hasPrev}>
        {t("上一页", "Previous")}
      </Button>
      <Typography.Text>{t(`第 ${page.number} 页`, `Page ${page.number}`)}</Typography.Text>
      <Button onClick={page.next} disabled={!page.hasNext}>
        {t("下一页", "Next")}
      </Button>
    </Space>
  );
}

/** A Table's data, loading state and (no) pagination for one cursor page: `<Table {...pagedTable(page)} …/>`. */
export function pagedTable<T>(page: CursorPageState<T>): Pick<TableProps<T>, "dataSource" | "loading" | "pagination"> {
  return { dataSource: page.items, loading: page.query.isFetching, pagination: false };
}
