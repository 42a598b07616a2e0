/**
 * 工作日历: a year's holidays and make-up working days (调休上班) as tasks-api holds them, the year in the URL
 * (`?year=`). The API replaces a year whole (PUT with every day, If-Match the year's ETag), so adding or removing
 * a day sends the days read with that one changed; a change made meanwhile by someone else is refused (412).
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button, Descriptions, Form, Input, Popconfirm, Select, Space, Table, Tag } from "antd";
import { useSearchParams } from "react-router-dom";
import type { components } from "../../api/tasks";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useTagged } from "../../lib/etag";
import { call, ifMatch, tasks } from "../../lib/client";
import { useT } from "../../lib/i18n";

type Year = components["schemas"]["CalendarYearRead"];
type Day = Year["days"][number];
type DayWrite = components["schemas"]["CalendarDayWrite"];
type NewDay = { date: string; kind: "off" | "work"; name: string };

// Ant Design's preset tag colours read under 4.5:1; the darkest shade on the lightest, as <Light> does
const TAGS = {
  off: { color: "#135200", background: "#f6ffed", borderColor: "#b7eb8f" },
  work: { color: "#874d00", background: "#fffbe6", borderColor: "#ffe58f" },
  official: { color: "#003a8c", background: "#e6f4ff", borderColor: "#91caff" },
};

const WEEKDAYS: [string, string][] = [["周日", "Sun"], ["周一", "Mon"], ["周二", "Tue"], ["周三", "Wed"], ["周四", "Thu"], ["周五", "Fri"], ["周六", "Sat"]];

/** The year's days as the PUT wants them (each needs a name; a day read may have none). */
export function daysToWrite(days: Day[], t: (zh: string, en: string) => string): DayWrite[] {
  return days.map((d) => ({ date: d.date, is_workday: d.is_workday, name: d.name || (d.is_workday ? t("调休上班", "Make-up workday") : t("休息日", "Day off")) }));
}

function AddDay({ onAdd, busy }: { onAdd: (day: NewDay) => void; busy: boolean }) {
  const t = useT();
  const [form] = Form.useForm<NewDay>();
  return (
    <Form form={form} name="add-day" layout="inline" initialValues={{ kind: "off" }} onFinish={(v) => onAdd(v)} style={{ margin: "16px 0", rowGap: 8 }} aria-label={t("添加日期", "Add a day")}>
      <Form.Item name="date" label={t("日期", "Date")} rules={[{ required: true, message: t("请选择日期", "Choose a date") }]}>
        <Input type="date" style={{ width: 160 }} />
      </Form.Item>
      <Form.Item name="kind" label={t("类别", "Kind")}>
        <Select style={{ width: 130 }} options={[{ value: "off", label: t("放假", "Day off") }, { value: "work", label: t("调休上班", "Make-up workday") }]} />
      </Form.Item>
      <Form.Item name="name" label={t("节日名称", "Holiday")} rules={[{ required: true, message: t("请填写节日名称", "Name the holiday") }]}>
        <Input placeholder={t("如：春节", "e.g. 春节")} style={{ width: 140 }} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy}>
        {t("添加", "Add")}
      </Button>
    </Form>
  );
}

export function Calendar() {
  const t = useT();
  const queries = useQueryClient();
  const [params, setParams] = useSearchParams();
  const thisYear = new Date().getFullYear();
  const year = Number(params.get("year")) || thisYear;
  const years = useQuery({ queryKey: ["calendar-years"], queryFn: () => call(tasks.GET("/v1/calendar", { params: { query: { limit: 100 } } })) });
  const read = useTagged<Year>(["calendar", year], () => tasks.GET("/v1/calendar/{year}", { params: { path: { year } } }));
  const save = useMutation({
    mutationFn: (days: DayWrite[]) => {
      const current = read.data!.data;
      return call(
        tasks.PUT("/v1/calendar/{year}", {
          params: { path: { year }, header: ifMatch(read.data?.etag) },
          body: { status: current.status, source: current.source ?? null, days },
        }),
      );
    },
    onSuccess: () => {
      queries.invalidateQueries({ queryKey: ["calendar", year] });
      queries.invalidateQueries({ queryKey: ["calendar-years"] });
    },
  });
  const current = read.data?.data;
  const days = current ? daysToWrite(current.days, t) : [];
  const choices = new Set([...(years.data?.items ?? []).map((y) => y.year), year]);

  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Select<number>
          aria-label={t("年份", "Year")}
          value={year}
          onChange={(y) =>
            setParams((current) => {
              const next = new URLSearchParams(current);
              next.set("year", String(y));
              return next;
            })
          }
          options={[...choices].sort().map((y) => ({ value: y, label: t(`${y} 年`, String(y)) }))}
          style={{ width: 120 }}
        />
      </Space>
      <ProblemAlert error={years.error ?? read.error} onReload={() => read.refetch()} style={{ marginBottom: 12 }} />
      {current && (
        <Descriptions size="small" column={3} style={{ marginBottom: 12 }}>
          <Descriptions.Item label={t("状态", "Status")}>
            {current.status === "official" ? <Tag style={TAGS.official}>{t("已载入", "Official")}</Tag> : <Tag>{t("暂按周一至周五", "Provisional: Mon–Fri")}</Tag>}
          </Descriptions.Item>
          <Descriptions.Item label={t("来源", "Source")}>{current.source ?? "—"}</Descriptions.Item>
          <Descriptions.Item label={t("最近修改", "Last changed")}>
            {current.updated_at ? `${current.updated_at.slice(0, 10)} ${current.updated_by ?? ""}` : "—"}
          </Descriptions.Item>
        </Descriptions>
      )}
      <ProblemAlert error={save.error} onReload={() => read.refetch()} style={{ marginBottom: 12 }} />
      <Table<Day>
        rowKey="date"
        size="small"
        loading={read.isFetching}
        dataSource={current?.days ?? []}
        pagination={false}
        locale={{ emptyText: t("这一年没有节假日或调休", "No holidays or make-up workdays this year") }}
        columns={[
          { title: t("日期", "Date"), dataIndex: "date", width: 130 },
          { title: t("星期", "Weekday"), width: 80, render: (_, d) => t(...WEEKDAYS[new Date(`${d.date}T00:00:00`).getDay()]) },
          { title: t("类别", "Kind"), width: 120, render: (_, d) => (d.is_workday ? <Tag style={TAGS.work}>{t("调休上班", "Make-up workday")}</Tag> : <Tag style={TAGS.off}>{t("放假", "Day off")}</Tag>) },
          { title: t("节日", "Holiday"), render: (_, d) => d.name ?? "—" },
          {
            title: t("操作", "Actions"),
            width: 100,
            render: (_, d) => (
              <Popconfirm
                title={t(`删除 ${d.date}？这一天将按周一至周五计算。`, `Remove ${d.date}? It counts as Monday to Friday says.`)}
                okText={t("删除", "Remove")}
                cancelText={t("取消", "Cancel")}
                onConfirm={() => save.mutate(days.filter((w) => w.date !== d.date))}
              >
                <Button size="small" danger aria-label={t(`删除 ${d.date}`, `Remove ${d.date}`)}>
                  {t("删除", "Remove")}
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      {current && (
        <AddDay
          busy={save.isPending}
          // the same date again replaces the day (the API refuses a date listed twice)
          onAdd={(day) => save.mutate([...days.filter((w) => w.date !== day.date), { date: day.date, is_workday: day.kind === "work", name: day.name.trim() }].sort((a, b) => a.date.localeCompare(b.date)))}
        />
      )}
    </>
  );
}
