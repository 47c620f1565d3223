// The history page's state in the address: ?page=2&status=failed&per_page=25, anything out of
// range read as its default, so that a hand-edited or stale address still opens a sensible page.
import type { AnalysisStatus } from "../api/types";

export const STATUSES: AnalysisStatus[] = ["pending", "processing", "generating_hints", "completed", "failed"];
export const PER_PAGE = 10;
export const PAGE_SIZES = [10, 25, 50];
/** The API's own bounds for per_page. */
const MAX_PER_PAGE = 100;

export interface HistoryQuery {
  page: number;
  status: string;
  perPage: number;
}

/** The history's query from the address, anything out of range replaced by its default. */
export function historyQuery(search: string): HistoryQuery {
  const q = new URLSearchParams(search);
  const whole = (raw: string | null, fallback: number, max: number) => {
    if (raw === null || !/^\d{1,4}$/.test(raw)) return fallback;
    const v = Number(raw);
    return v >= 1 && v <= max ? v : fallback;
  };
  const rawStatus = q.get("status") ?? "";
  return {
    page: whole(q.get("page"), 1, 9999),
    status: (STATUSES as string[]).includes(rawStatus) ? rawStatus : "",
    perPage: whole(q.get("per_page"), PER_PAGE, MAX_PER_PAGE),
  };
}

/** The address of a history query (defaults left out). */
export function historyHref({ page, status, perPage }: HistoryQuery): string {
  const q = new URLSearchParams();
  if (page > 1) q.set("page", String(page));
  if (status) q.set("status", status);
  if (perPage !== PER_PAGE) q.set("per_page", String(perPage));
  const qs = q.toString();
  return qs ? `/history?${qs}` : "/history";
}
