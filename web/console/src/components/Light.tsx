/** 红黄绿灯: a task's, unit's or plan's light, as a coloured tag that also says it in words (not colour alone). */
import { Tag } from "antd";
import { useT } from "../lib/i18n";

export type LightColour = "red" | "yellow" | "green";

const COLOURS: Record<LightColour, string> = { red: "red", yellow: "gold", green: "green" };

export function Light({ light, reason }: { light: LightColour | null | undefined; reason?: string }) {
  const t = useT();
  if (!light) return <Tag>{t("无", "None")}</Tag>;
  const words: Record<LightColour, string> = {
    red: t("红灯", "Red"),
    yellow: t("黄灯", "Yellow"),
    green: t("绿灯", "Green"),
  };
  return (
    <Tag color={COLOURS[light]} title={reason}>
      ● {words[light]}
    </Tag>
  );
}

export function lightOptions(t: (zh: string, en: string) => string) {
  return [
    { value: "red", label: t("红灯", "Red") },
    { value: "yellow", label: t("黄灯", "Yellow") },
    { value: "green", label: t("绿灯", "Green") },
  ];
}
