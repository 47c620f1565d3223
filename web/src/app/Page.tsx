// One page: sets the document title and moves focus to the heading when the page changes, so
// that screen-reader and keyboard users know where they are after a client-side navigation.
import { useEffect, useRef, type ReactNode } from "react";
import { useI18n } from "../i18n/I18n";

export function Page({ title, children, wide = false }: { title: string; children: ReactNode; wide?: boolean }) {
  const { t } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} — ${t("app.name")}`;
  }, [title, t]);
  useEffect(() => {
    // Not on the very first load: the browser starts at the top of the page already.
    if (document.activeElement && document.activeElement !== document.body) heading.current?.focus();
  }, []);
  return (
    <div className={wide ? "page page-wide" : "page"}>
      <h1 ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {children}
    </div>
  );
}

/** A message announced to screen readers: role alert for errors, status otherwise. */
export function Notice({ kind, children }: { kind: "error" | "info" | "success"; children: ReactNode }) {
  return (
    <div className={`notice notice-${kind}`} role={kind === "error" ? "alert" : "status"}>
      {children}
    </div>
  );
}
