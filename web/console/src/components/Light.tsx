/** 红黄绿灯: a task's, unit's or plan's light, as a coloured tag that also says it in words (not colour alone). */
import { Tag } from "antd";
import { useT } from "../lib/i18n";

export type LightColour = "red" | "yellow" | "green";

// Ant Design's preset tag colours are too pale to read (under 4.5:1): the darkest shade of each on its lightest
const COLOURS: Record<LightColour, { color: string; background: string; borderColor: string }> = {
  red: { color: "#a8071a", background: "#fff1f0", borderColor: "#ffa39e" },
  yellow: { color: "#874d00", background: "#fffbe6", borderColor: "#ffe58f" },
  green: { color: "#135200", background: "#f6ffed", borderColor: "#b7eb8f" },
};

export function Light({ light, reason }: { light: LightColour | null | undefined; reason?: string }) {
  const t = useT();
  if (!light) return <Tag>{t("无", "None")}</Tag>;
  const words: Record<LightColour, string> = {
    red: t("红灯", "Red"),
    yellow: t("黄灯", "Yellow"),
    green: t("绿灯", "Green"),
  };
  return (
    <Tag style={COLOURS[light]} title={reason}>
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
