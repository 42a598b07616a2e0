/**
 * Chinese first, English on request: each text is written as its pair where it is used, `t("计划", "Plans")`, so a
 * screen reads in one place and no key can go missing. The choice is kept in localStorage and switches Ant Design's
 * own texts (dates, pagination, empty lists) through ConfigProvider.
 */
import { ConfigProvider } from "antd";
import enUS from "antd/locale/en_US";
import zhCN from "antd/locale/zh_CN";
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from "react";

export type Lang = "zh" | "en";
const KEY = "luoshi.lang";

// Contrast of at least 4.5:1 (WCAG AA) where Ant Design's defaults fall short: white on the primary blue (the
// selected menu entry, primary buttons), links, the red of danger buttons, and the grey of labels and secondary text.
// A list's "nothing here" text is drawn in the disabled grey (about 1.9:1): lists have no disabled control, so the
// List's own disabled colour is the secondary grey.
const SECONDARY = "rgba(0, 0, 0, 0.62)";
const THEME = {
  token: {
    colorPrimary: "#0958d9",
    colorLink: "#0958d9",
    colorError: "#cf1322",
    colorTextTertiary: SECONDARY,
    colorTextDescription: SECONDARY,
  },
  components: { List: { colorTextDisabled: SECONDARY } },
};

type I18n = { lang: Lang; setLang: (lang: Lang) => void; t: (zh: string, en: string) => string };

const I18nContext = createContext<I18n>({ lang: "zh", setLang: () => undefined, t: (zh) => zh });

function stored(): Lang {
  try {
    return localStorage.getItem(KEY) === "en" ? "en" : "zh";
  } catch {
    return "zh";
  }
}

export function I18nProvider({ children, initial }: { children: ReactNode; initial?: Lang }) {
  const [lang, setLangState] = useState<Lang>(initial ?? stored());
  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    try {
      localStorage.setItem(KEY, next);
    } catch {
      // private windows may refuse storage: the choice then lasts the page
    }
    document.documentElement.lang = next === "en" ? "en" : "zh-CN";
  }, []);
  const value = useMemo<I18n>(() => ({ lang, setLang, t: (zh, en) => (lang === "en" ? en : zh) }), [lang, setLang]);
  return (
    <I18nContext.Provider value={value}>
      <ConfigProvider locale={lang === "en" ? enUS : zhCN} button={{ autoInsertSpace: false }} theme={THEME}>
        {children}
      </ConfigProvider>
    </I18nContext.Provider>
  );
}

export function useI18n(): I18n {
  return useContext(I18nContext);
}

/** `t(zh, en)`: the text in the chosen language. */
export function useT(): I18n["t"] {
  return useContext(I18nContext).t;
}
