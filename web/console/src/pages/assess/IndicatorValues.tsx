/**
 * An indicator's values so far (paged by cursor, the period filter in the URL as `?period=`), each opening to its
 * evidence: the note and the files, downloaded with the bearer token (the download is an API route, not a link a
 * browser can follow signed in). The office verifies (核实) a value, reading it first for its ETag; a unit corrects
 * its own value (the form above) or adds a file to it. A published period's values are locked: no buttons.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button, Input, List, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { CursorPager, pagedTable } from "../../components/CursorPager";
import { ProblemAlert } from "../../components/ProblemAlert";
import { call, fileForm, ifMatch, read, scoring } from "../../lib/client";
import { useT } from "../../lib/i18n";
import { useCanChange, useMe } from "../../lib/me";
import { useCursorPage, useUrlFilters } from "../../lib/paging";
import { type Indicator, type Value, valueStatus } from "./indicators";
import { useUnitNames } from "./unitNames";

type Attachment = { id: number; filename: string; size: number; created_by: string | null; created_at: string };

/** The file as the browser's download: fetched through the client (token, refresh), handed over as a blob. */
async function download(attachment: Attachment) {
  const blob = await call(scoring.GET("/v1/value-attachments/{attachment_id}", { params: { path: { attachment_id: attachment.id } }, parseAs: "blob" }));
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob as Blob);
  link.download = attachment.filename;
  link.click();
  // later, not at once: the browser may still be reading the blob when click() returns
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

function Evidence({ value, mayAttach }: { value: Value; mayAttach: boolean }) {
  const t = useT();
  const queries = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const files = useQuery({
    queryKey: ["evidence", value.id],
    queryFn: () => call(scoring.GET("/v1/values/{value_id}/attachments", { params: { path: { value_id: value.id }, query: { limit: 50 } } })),
  });
  const get = useMutation({ mutationFn: download });
  const attach = useMutation({
    mutationFn: (chosen: File) => call(scoring.POST("/v1/values/{value_id}/attachments", { params: { path: { value_id: value.id } }, ...fileForm(chosen) })),
    onSuccess: () => {
      setFile(null);
      queries.invalidateQueries({ queryKey: ["evidence", value.id] });
    },
  });
  return (
    <section aria-label={t(`证据：${value.period}`, `Evidence: ${value.period}`)}>
      <Typography.Paragraph style={{ whiteSpace: "pre-wrap" }}>
        {t("证据说明：", "Note: ")}
        {value.evidence || t("（无）", "(none)")}
      </Typography.Paragraph>
      <ProblemAlert error={files.error ?? get.error ?? attach.error} onReload={() => files.refetch()} style={{ marginBottom: 8 }} />
      <List
        size="small"
        loading={files.isPending}
        locale={{ emptyText: t("没有证据文件", "No evidence files") }}
        dataSource={files.data?.items ?? []}
        renderItem={(a) => (
          <List.Item key={a.id}>
            <Space wrap>
              <Button size="small" onClick={() => get.mutate(a)} aria-label={t(`下载 ${a.filename}`, `Download ${a.filename}`)}>
                {t("下载", "Download")}
              </Button>
              <span>{a.filename}</span>
              <Typography.Text type="secondary">{`${a.size < 1024 ? `${a.size} B` : `${Math.round(a.size / 1024)} KB`} · ${a.created_by ?? ""}`}</Typography.Text>
            </Space>
          </List.Item>
        )}
      />
      {mayAttach && (
        <Space style={{ marginTop: 8 }} wrap>
          <input type="file" aria-label={t("补充证据文件", "Add an evidence file")} onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          <Button size="small" disabled={!file} loading={attach.isPending} onClick={() => file && attach.mutate(file)}>
            {t("上传", "Upload")}
          </Button>
        </Space>
      )}
    </section>
  );
}

export function IndicatorValues({ indicator, onCorrect }: { indicator: Indicator; onCorrect?: (valueId: number) => void }) {
  const t = useT();
  const me = useMe();
  const canChange = useCanChange();
  const queries = useQueryClient();
  const [filters, setFilters] = useUrlFilters(["period"] as const);
  const page = useCursorPage<Value>(["values", indicator.id, filters.period ?? ""], (cursor) =>
    call(scoring.GET("/v1/indicators/{indicator_id}/values", { params: { path: { indicator_id: indicator.id }, query: { limit: 20, cursor, period: filters.period } } })),
  );
  const unitName = useUnitNames(page.items.map((v) => v.unit_id));
  const verify = useMutation({
    mutationFn: async (value: Value) => {
      const path = { value_id: value.id };
      const { etag } = await read(scoring.GET("/v1/values/{value_id}", { params: { path } }));
      return call(scoring.POST("/v1/values/{value_id}/verify", { params: { path, header: ifMatch(etag) } }));
    },
    onSuccess: () => queries.invalidateQueries({ queryKey: ["values"] }),
  });
  const own = (v: Value) => onCorrect !== undefined && v.unit_id === me.unit?.id && !v.locked;
  const statuses = valueStatus(t);
  const unit = indicator.unit ?? "";

  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <Input.Search
          aria-label={t("按期别筛选", "Filter by period")}
          placeholder={t("期别，如 2026", "Period, e.g. 2026")}
          key={filters.period ?? ""}
          defaultValue={filters.period}
          allowClear
          onSearch={(period) => setFilters({ period: period.trim() })}
          style={{ width: 220 }}
        />
      </Space>
      <ProblemAlert error={page.query.error} onReload={() => page.query.refetch()} style={{ marginBottom: 12 }} />
      <ProblemAlert error={verify.error} onReload={() => verify.reset()} style={{ marginBottom: 12 }} />
      <Table<Value>
        rowKey="id"
        size="small"
        {...pagedTable(page)}
        locale={{ emptyText: t("尚未填报", "No values yet") }}
        expandable={{ expandedRowRender: (v) => <Evidence value={v} mayAttach={own(v)} /> }}
        columns={[
          { title: t("单位", "Unit"), render: (_, v) => unitName(v.unit_id) },
          { title: t("期别", "Period"), dataIndex: "period", width: 100 },
          { title: t("数值", "Value"), width: 110, render: (_, v) => `${v.value}${unit}` },
          {
            title: t("状态", "Status"),
            width: 150,
            render: (_, v) => (
              <Space size={4} wrap>
                <Tag>{statuses[v.status] ?? v.status}</Tag>
                {v.locked && <Tag>{t("已锁定", "Locked")}</Tag>}
              </Space>
            ),
          },
          { title: t("版本", "Revision"), dataIndex: "revision", width: 70 },
          { title: t("填报人", "Entered by"), width: 130, render: (_, v) => v.entered_by ?? "—" },
          { title: t("核实人", "Verified by"), width: 130, render: (_, v) => v.verified_by ?? "—" },
          {
            title: t("操作", "Actions"),
            width: 110,
            render: (_, v) => (
              <Space size={4}>
                {canChange && v.status === "entered" && !v.locked && (
                  <Button size="small" type="primary" loading={verify.isPending && verify.variables?.id === v.id} onClick={() => verify.mutate(v)}>
                    {t("核实", "Verify")}
                  </Button>
                )}
                {own(v) && (
                  <Button size="small" onClick={() => onCorrect?.(v.id)}>
                    {t("修改", "Correct")}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <CursorPager page={page} />
    </>
  );
}
