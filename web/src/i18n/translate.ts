// Message lookup and formatting, without React: pages get these through useI18n().
import { en } from "./en";
import { fr, type MessageKey, type Messages } from "./fr";
import type { Language } from "../api/types";

export type { MessageKey };
export type Params = Record<string, string | number>;

const dictionaries: Record<Language, Messages> = { fr, en };

export const LANGUAGES: readonly Language[] = ["fr", "en"];

export function isLanguage(v: unknown): v is Language {
  return v === "fr" || v === "en";
}

/** French unless the browser's first fr/en preference is English (DESIGN: French-first). */
export function browserLanguage(preferences: readonly string[]): Language {
  for (const tag of preferences) {
    const primary = tag.toLowerCase().split("-")[0];
    if (primary === "fr") return "fr";
    if (primary === "en") return "en";
  }
  return "fr";
}

export function translate(lang: Language, key: MessageKey, params?: Params): string {
  const template = dictionaries[lang][key];
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function placeholders(lang: Language, key: MessageKey): string[] {
  return [...dictionaries[lang][key].matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
}

export function allKeys(): MessageKey[] {
  return Object.keys(fr) as MessageKey[];
}

const MODELS = ["heavy", "full", "lite"] as const;

/** The analysis quality a climber chose ("Précise"), not the pose model's file name ("heavy"). */
export function modelName(lang: Language, model: string): string {
  return (MODELS as readonly string[]).includes(model)
    ? translate(lang, `model.${model as (typeof MODELS)[number]}`)
    : model;
}

const locales: Record<Language, string> = { fr: "fr-FR", en: "en-GB" };

export function locale(lang: Language): string {
  return locales[lang];
}

export function formatNumber(lang: Language, value: number, digits = 1): string {
  return new Intl.NumberFormat(locales[lang], {
    maximumFractionDigits: digits,
    minimumFractionDigits: 0,
  }).format(value);
}

export function formatDate(lang: Language, iso: string, withTime = true): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locales[lang], {
    dateStyle: "medium",
    ...(withTime ? { timeStyle: "short" } : {}),
  }).format(d);
}

/** 1,5 Mo / 1.5 MB in units of 1024, as the server's limits are set (500 MB = 500 × 2²⁰ bytes). */
export function formatBytes(lang: Language, bytes: number): string {
  const k = 1024;
  if (bytes < k) return translate(lang, "unit.bytes", { value: formatNumber(lang, bytes, 0) });
  if (bytes < k * k) return translate(lang, "unit.kb", { value: formatNumber(lang, bytes / k, 0) });
  if (bytes < k * k * k) return translate(lang, "unit.mb", { value: formatNumber(lang, bytes / (k * k), 1) });
  return translate(lang, "unit.gb", { value: formatNumber(lang, bytes / (k * k * k), 2) });
}

export function formatDuration(lang: Language, seconds: number): string {
  const s = Math.max(0, seconds);
  if (s < 60) return translate(lang, "unit.seconds", { value: formatNumber(lang, s, 1) });
  const minutes = Math.floor(s / 60);
  const rest = Math.round(s - minutes * 60);
  if (rest === 0) return translate(lang, "unit.minutesOnly", { minutes });
  return translate(lang, "unit.minutes", { minutes, seconds: rest });
}
