/**
 * 改名: a unit's full and short name. The unit is read first for its ETag (the list carries none) and the change
 * sends it as If-Match, so a rename over someone else's change is refused (412) and says so.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Button, Form, Input, Modal } from "antd";
import { useState } from "react";
import type { components } from "../../api/tasks";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useTagged } from "../../lib/etag";
import { call, ifMatch, tasks } from "../../lib/client";
import { useT } from "../../lib/i18n";

type Unit = components["schemas"]["UnitRead"];
type Values = { name: string; short_name?: string };

function RenameForm({ unitId, onDone }: { unitId: number; onDone: () => void }) {
  const t = useT();
  const queries = useQueryClient();
  const unit = useTagged<Unit>(["unit", unitId], () => tasks.GET("/v1/units/{unit_id}", { params: { path: { unit_id: unitId } } }));
  const rename = useMutation({
    mutationFn: (v: Values) =>
      call(
        tasks.PATCH("/v1/units/{unit_id}", {
          params: { path: { unit_id: unitId }, header: ifMatch(unit.data?.etag) },
          body: { name: v.name.trim(), short_name: v.short_name?.trim() || null },
        }),
      ),
    onSuccess: () => {
      queries.invalidateQueries({ queryKey: ["units"] });
      queries.invalidateQueries({ queryKey: ["unit", unitId] });
      onDone();
    },
  });
  if (!unit.data) return <ProblemAlert error={unit.error} onReload={() => unit.refetch()} />;
  const { name, short_name } = unit.data.data;
  return (
    // keyed by the ETag: read again after a 412, the form starts from the unit as it now is
    <Form<Values> key={unit.data.etag ?? ""} name="rename-unit" layout="vertical" initialValues={{ name, short_name: short_name ?? "" }} onFinish={(v) => rename.mutate(v)}>
      <ProblemAlert error={rename.error} onReload={() => unit.refetch()} style={{ marginBottom: 8 }} />
      <Form.Item name="name" label={t("单位全称", "Full name")} rules={[{ required: true, min: 2, message: t("请填写单位全称（至少 2 字）", "Enter the full name (2 characters or more)") }]}>
        <Input />
      </Form.Item>
      <Form.Item name="short_name" label={t("简称", "Short name")}>
        <Input />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={rename.isPending}>
        {t("保存", "Save")}
      </Button>
    </Form>
  );
}

export function UnitRename({ unit }: { unit: Unit }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)} aria-label={t(`改名「${unit.name}」`, `Rename ${unit.name}`)}>
        {t("改名", "Rename")}
      </Button>
      <Modal open={open} title={t(`改名：${unit.name}`, `Rename ${unit.name}`)} footer={null} onCancel={() => setOpen(false)}>
        {open && <RenameForm unitId={unit.id} onDone={() => setOpen(false)} />}
      </Modal>
    </>
  );
}
