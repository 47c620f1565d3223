// The climber's analyses, newest first, a page at a time, filtered by status. The page, the
// filter and the page size live in the address (?page=2&status=failed&per_page=25) so that
// back/forward, reloads and bookmarks keep them.
import { useEffect, useState } from "react";
import { Link, useLocation, useSearch } from "wouter";
import { errorSentence } from "../api/errors";
import type { AnalysisPage } from "../api/types";
import { PAGE_SIZES, STATUSES, historyHref, historyQuery } from "../app/historyQuery";
import { Notice, Page } from "../app/Page";
import { useSession } from "../app/session";
import { useI18n } from "../i18n/I18n";

export function HistoryPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const { api } = useSession();
  const [, navigate] = useLocation();
  const { page, status, perPage } = historyQuery(useSearch());
  const [data, setData] = useState<AnalysisPage | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setError(null);
    const q = new URLSearchParams({ page: String(page), per_page: String(perPage) });
    if (status) q.set("status", status);
    api
      .request<AnalysisPage>("GET", `/v1/analyses?${q}`)
      .then((d) => live && setData(d))
      .catch((e) => live && setError(errorSentence(i18n, e)));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, page, status, perPage]);

  const go = (p: number, s: string, size = perPage) => navigate(historyHref({ page: p, status: s, perPage: size }));
  const sizes = PAGE_SIZES.includes(perPage) ? PAGE_SIZES : [...PAGE_SIZES, perPage].sort((a, b) => a - b);

  const items = data?.items ?? [];
  const pages = data?.pagination.pages ?? 0;
  return (
    <Page title={t("history.title")}>
      <div className="toolbar">
        <span className="toolbar-item">
          <label htmlFor="status-filter">{t("history.filter")}</label>
          <select id="status-filter" value={status} onChange={(e) => go(1, e.target.value)}>
            <option value="">{t("history.all")}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </span>
        <span className="toolbar-item">
          <label htmlFor="page-size">{t("history.perPage")}</label>
          <select id="page-size" value={perPage} onChange={(e) => go(1, status, Number(e.target.value))}>
            {sizes.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </span>
      </div>
      {error && <Notice kind="error">{error}</Notice>}
      {!data && !error && <p className="loading">{t("app.loading")}</p>}
      {data && items.length === 0 && (
        <div className="card">
          <p>{status ? t("history.emptyFiltered") : t("history.empty")}</p>
          {!status && (
            <p>
              <Link href="/upload">{t("history.start")}</Link>
            </p>
          )}
        </div>
      )}
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="history">
            <caption>{t("history.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("history.date")}</th>
                <th scope="col">{t("history.status")}</th>
                <th scope="col" className="optional">
                  {t("history.progress")}
                </th>
                <th scope="col">{t("history.model")}</th>
                <th scope="col" className="optional">
                  {t("history.duration")}
                </th>
                <th scope="col">
                  <span className="visually-hidden">{t("history.open")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <tr key={a.id} data-analysis-id={a.id}>
                  <td>{i18n.date(a.created_at)}</td>
                  <td>
                    <span className={`status status-${a.status}`}>
                      {(STATUSES as string[]).includes(a.status) ? t(`status.${a.status}`) : a.status}
                    </span>
                  </td>
                  <td className="optional">{t("progress.percent", { percent: a.progress })}</td>
                  <td>{i18n.model(a.model)}</td>
                  <td className="optional">
                    {a.processing_time_ms === null ? "—" : i18n.duration(a.processing_time_ms / 1000)}
                  </td>
                  <td>
                    <Link
                      href={`/analyses/${a.id}`}
                      aria-label={t("history.openLabel", { date: i18n.date(a.created_at) })}
                    >
                      {t("history.open")}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data && pages > 1 && (
        <nav className="pagination" aria-label={t("history.pagination")}>
          <button type="button" disabled={page <= 1} onClick={() => go(page - 1, status)}>
            {t("history.previous")}
          </button>
          <span>{t("history.page", { page, pages, total: data.pagination.total })}</span>
          <button type="button" disabled={page >= pages} onClick={() => go(page + 1, status)}>
            {t("history.next")}
          </button>
        </nav>
      )}
    </Page>
  );
}
