// Indicators per week (GET /v1/users/me/stats): totals, average scores with their trend, and
// the weekly charts, each with its data as a table.
import { useEffect, useState } from "react";
import { errorSentence } from "../api/errors";
import { isObject } from "../api/guards";
import type { Scores, Stats } from "../api/types";
import { WeeklyChart } from "../charts/WeeklyChart";
import { Notice, Page } from "../app/Page";
import { useSession } from "../app/session";
import { useI18n } from "../i18n/I18n";
import { SCORES } from "../api/result";

type ScoreKey = (typeof SCORES)[number];

function score(s: Scores | undefined, k: ScoreKey): number | null {
  const v = s?.[k];
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

export function StatsPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const { api } = useSession();
  const [stats, setStats] = useState<Stats | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api
      .request<Stats>("GET", "/v1/users/me/stats")
      .then((s) => {
        if (!live) return;
        if (!isObject(s) || !Array.isArray((s as unknown as Record<string, unknown>)["weeks"])) {
          setError(t("error.bad_response"));
        } else {
          setStats(s);
        }
      })
      .catch((e) => live && setError(errorSentence(i18n, e)));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api]);

  if (error) {
    return (
      <Page title={t("stats.title")}>
        <Notice kind="error">{error}</Notice>
      </Page>
    );
  }
  if (!stats) return <p className="loading">{t("app.loading")}</p>;

  // The indicators the API reports, in the product's order.
  const SCORE_KEYS = SCORES.filter((k) => k in (stats.average_scores ?? {}));
  const weeks = stats.weeks.filter((w) => isObject(w) && typeof w.week_start === "string");
  const label = (iso: string) => i18n.date(iso, false).replace(/\s?\d{4}$/, "");
  const count = weeks.reduce((n, w) => n + (typeof w.analyses === "number" ? w.analyses : 0), 0);
  const completed = weeks.reduce((n, w) => n + (typeof w.completed === "number" ? w.completed : 0), 0);
  // The global score of each week (the indicators are in the table below the chart): averaging
  // the global score with its own indicators would count them twice.
  const weekly = weeks.map((w) => ({ label: label(w.week_start), score: score(w.average_scores, "global") }));
  const lastScored = [...weekly].reverse().find((w) => w.score !== null);
  const weeklySummary = lastScored
    ? t("stats.weeklyScoresSummary", { week: lastScored.label, score: i18n.number(lastScored.score!, 1) })
    : t("stats.weeklyScoresNone");
  const totals = stats.totals ?? {};
  const fmtScore = (v: number | null) => (v === null ? t("stats.none") : i18n.number(v, 1));
  const fmtTrend = (v: number | null) =>
    v === null ? null : `${v > 0 ? "+" : v < 0 ? "−" : "±"}${i18n.number(Math.abs(v), 1)}`;

  return (
    <Page title={t("stats.title")} wide>
      <p className="lead">{t("stats.intro")}</p>
      <div className="pair">
        <section className="card" aria-labelledby="totals-title">
          <h2 id="totals-title">{t("stats.totals")}</h2>
          <dl className="figures">
            <div>
              <dt>{t("stats.analyses")}</dt>
              <dd>{totals.analyses ?? 0}</dd>
            </div>
            <div>
              <dt>{t("stats.completed")}</dt>
              <dd>{totals.completed ?? 0}</dd>
            </div>
            <div>
              <dt>{t("stats.failed")}</dt>
              <dd>{totals.failed ?? 0}</dd>
            </div>
          </dl>
        </section>
        <section className="card" aria-labelledby="averages-title">
          <h2 id="averages-title">{t("stats.averages")}</h2>
          <dl className="figures">
            {SCORE_KEYS.map((k) => {
              const trend = fmtTrend(score(stats.trend, k));
              return (
                <div key={k}>
                  <dt>{t(`result.score.${k}`)}</dt>
                  <dd className={score(stats.average_scores, k) === null ? "not-measured" : undefined}>
                    {score(stats.average_scores, k) === null
                      ? t("stats.notMeasured")
                      : fmtScore(score(stats.average_scores, k))}
                  </dd>
                  <dd className="trend">{trend ? t("stats.trend", { value: trend }) : t("stats.noTrend")}</dd>
                </div>
              );
            })}
          </dl>
        </section>
      </div>
      <div className="pair">
        <section className="card chart-card" aria-labelledby="weekly-title">
          <h2 id="weekly-title">{t("stats.weekly")}</h2>
          <WeeklyChart
            weeks={weeks.map((w) => ({ label: label(w.week_start), value: w.analyses ?? 0 }))}
            title={t("stats.weekly")}
            description={t("stats.chartSummary", { count, completed })}
            formatValue={(v) => i18n.number(v, 0)}
            integer
          />
          <p className="chart-text">{t("stats.chartSummary", { count, completed })}</p>
        </section>
        <section className="card chart-card" aria-labelledby="weekly-scores-title">
          <h2 id="weekly-scores-title">{t("stats.weeklyScores")}</h2>
          <WeeklyChart
            weeks={weekly.map((w) => ({ label: w.label, value: w.score ?? 0 }))}
            title={t("stats.weeklyScores")}
            description={weeklySummary}
            max={100}
            formatValue={(v) => i18n.number(v, 0)}
          />
          <details>
            <summary>{t("chart.data")}</summary>
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t("stats.week")}</th>
                    <th scope="col">{t("stats.analyses")}</th>
                    <th scope="col">{t("stats.completed")}</th>
                    {SCORE_KEYS.map((k) => (
                      <th key={k} scope="col">
                        {t(`result.score.${k}`)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {weeks.map((w) => (
                    <tr key={w.week_start}>
                      <th scope="row">{i18n.date(w.week_start, false)}</th>
                      <td>{w.analyses ?? 0}</td>
                      <td>{w.completed ?? 0}</td>
                      {SCORE_KEYS.map((k) => (
                        <td key={k}>{fmtScore(score(w.average_scores, k))}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </section>
      </div>
    </Page>
  );
}
