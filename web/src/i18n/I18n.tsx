// The interface language: the one chosen in this browser, else the signed-in climber's profile
// language, else the browser's preference (French when it asks for neither).
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import type { Language } from "../api/types";
import {
  browserLanguage,
  formatBytes,
  formatDate,
  formatDuration,
  formatNumber,
  isLanguage,
  modelName,
  translate,
  type MessageKey,
  type Params,
} from "./translate";

const STORAGE_KEY = "ascension.language";

export interface I18n {
  lang: Language;
  t: (key: MessageKey, params?: Params) => string;
  setLanguage: (lang: Language) => void;
  /** Applies the profile's language unless one was chosen in this browser. */
  adoptProfileLanguage: (lang: Language) => void;
  number: (value: number, digits?: number) => string;
  date: (iso: string, withTime?: boolean) => string;
  bytes: (n: number) => string;
  duration: (seconds: number) => string;
  model: (model: string) => string;
}

const Context = createContext<I18n | null>(null);

function storedLanguage(): Language | null {
  try {
    const v = window.localStorage.getItem(STORAGE_KEY);
    return isLanguage(v) ? v : null;
  } catch {
    return null;
  }
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLang] = useState<Language>(() => storedLanguage() ?? browserLanguage(navigator.languages ?? []));

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  const setLanguage = useCallback((next: Language) => {
    try {
      window.localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Private browsing: the choice lasts for this page only.
    }
    setLang(next);
  }, []);

  const adoptProfileLanguage = useCallback((next: Language) => {
    if (storedLanguage() === null) setLang(next);
  }, []);

  const value = useMemo<I18n>(
    () => ({
      lang,
      t: (key, params) => translate(lang, key, params),
      setLanguage,
      adoptProfileLanguage,
      number: (v, digits) => formatNumber(lang, v, digits),
      date: (iso, withTime) => formatDate(lang, iso, withTime),
      bytes: (n) => formatBytes(lang, n),
      duration: (s) => formatDuration(lang, s),
      model: (m) => modelName(lang, m),
    }),
    [lang, setLanguage, adoptProfileLanguage],
  );
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(Context);
  if (!v) throw new Error("useI18n outside I18nProvider");
  return v;
}
