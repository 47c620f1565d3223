// The result page's ghost: the climb compared with the route's ghost (the result's `ghost`
// section). Loads the ghost's frames (GET /v1/routes/{id}/ghost) so the video draws the ghost
// beside the climber, lists the ghost's moves as the climber made them (same hold, another hold,
// an extra move, a skipped one, with the centre-of-mass and time differences), each with the
// moment of the video it happened; or says in a sentence why there is no comparison.
import { Link } from "wouter";
import { ApiError, type ApiClient } from "../api/client";
import { errorSentence } from "../api/errors";
import { readGhost, type AnalysisGhost, type ComparedMove } from "../api/ghost";
import { isObject, str } from "../api/guards";
import type { ResultFrame } from "../api/result";
import { readRouteDetail } from "../api/routes";
import { Notice } from "../app/Page";
import type { I18n } from "../i18n/I18n";
import type { MessageKey } from "../i18n/translate";
import { formatTimecode } from "../overlay/timeline";

const LIMBS = new Set(["left_hand", "right_hand", "left_foot", "right_foot"]);

export interface GhostFrames {
  frames: ResultFrame[];
  sync: [number, number][];
}

/** What the page could make of the route's ghost: drawn, or why not. */
export type GhostLoad =
  | { kind: "loading" }
  | { kind: "drawn"; ghost: GhostFrames; holdNumbers: Map<string, number> }
  | { kind: "changed"; holdNumbers: Map<string, number> }
  | { kind: "error"; sentence: string };

/** Loads the frames of the ghost the analysis was compared with, and the route's hold numbers. */
export async function loadGhost(
  api: Pick<ApiClient, "request">,
  i18n: I18n,
  section: AnalysisGhost,
): Promise<GhostLoad> {
  const base = `/v1/routes/${encodeURIComponent(section.routeId)}`;
  const numbers = api
    .request<unknown>("GET", base)
    .then((d) => new Map((readRouteDetail(d)?.holds ?? []).map((h, i) => [h.id, i + 1] as const)))
    .catch(() => new Map<string, number>());
  try {
    const g = await api.request<Record<string, unknown>>("GET", `${base}/ghost`);
    const holdNumbers = await numbers;
    if (str(g["status"]) !== "ready" || !isObject(g["ghost"])) return { kind: "changed", holdNumbers };
    // The route's ghost is the one compared with when it was computed from the same inputs.
    const fingerprint = str(g["fingerprint"]);
    if (!section.fingerprint || fingerprint !== section.fingerprint) return { kind: "changed", holdNumbers };
    const doc = readGhost(g["ghost"]);
    if (doc.frames.length === 0) return { kind: "changed", holdNumbers };
    return { kind: "drawn", ghost: { frames: doc.frames, sync: section.sync }, holdNumbers };
  } catch (e) {
    const holdNumbers = await numbers;
    if (e instanceof ApiError && (e.code === "ghost_stale" || e.status === 404))
      return { kind: "changed", holdNumbers };
    return { kind: "error", sentence: errorSentence(i18n, e) };
  }
}

function limbName(i18n: I18n, limb: string): string {
  return LIMBS.has(limb) ? i18n.t(`ghost.limb.${limb}` as MessageKey) : limb;
}

/** One compared move in a sentence: "Left hand on hold 4, the ghost on hold 6 (21 cm away)". */
export function comparedText(i18n: I18n, m: ComparedMove, holdNumbers: ReadonlyMap<string, number>): string {
  const hold = (id: string | null) =>
    id !== null && holdNumbers.has(id)
      ? i18n.t("ghost.holdNumber", { n: holdNumbers.get(id)! })
      : i18n.t("ghost.holdUnknown");
  const limb = limbName(i18n, m.limb);
  const parts: string[] = [];
  switch (m.kind) {
    case "same_hold":
      parts.push(
        i18n.t(m.reordered ? "result.ghost.sameReordered" : "result.ghost.same", { limb, hold: hold(m.realHold) }),
      );
      break;
    case "other_hold":
      parts.push(
        i18n.t("result.ghost.other", {
          limb,
          hold: hold(m.realHold),
          ghost: hold(m.ghostHold),
          distance: m.holdDistanceCm === null ? "—" : i18n.number(m.holdDistanceCm, 0),
        }),
      );
      break;
    case "extra_move":
      parts.push(i18n.t("result.ghost.extra", { limb, hold: hold(m.realHold) }));
      break;
    case "skipped_move":
      parts.push(i18n.t("result.ghost.skipped", { limb, ghost: hold(m.ghostHold) }));
      break;
  }
  if (m.comDistanceCm !== null && m.comDistanceCm >= 1) {
    parts.push(i18n.t("result.ghost.com", { distance: i18n.number(m.comDistanceCm, 0) }));
  }
  if (m.timeDeltaMs !== null && Math.abs(m.timeDeltaMs) >= 100) {
    const seconds = i18n.number(Math.abs(m.timeDeltaMs) / 1000, 1);
    parts.push(i18n.t(m.timeDeltaMs > 0 ? "result.ghost.slower" : "result.ghost.faster", { seconds }));
  }
  return parts.join(" · ");
}

const WHY: Record<string, MessageKey> = {
  no_beta: "result.ghost.status.no_beta",
  none: "result.ghost.status.none",
  computing: "result.ghost.status.computing",
  failed: "result.ghost.status.failed",
  stale: "result.ghost.status.stale",
};

interface Props {
  i18n: I18n;
  section: AnalysisGhost;
  load: GhostLoad;
  onSeek: (ms: number) => void;
}

export function GhostComparison({ i18n, section, load, onSeek }: Props) {
  const { t } = i18n;
  const ghostPage = `/routes/${section.routeId}/ghost`;
  if (section.status !== "compared") {
    return (
      <section className="card ghost-card" aria-labelledby="ghost-title">
        <h2 id="ghost-title">{t("result.ghost.title")}</h2>
        <Notice kind="info">
          {t(WHY[section.status] ?? "result.ghost.status.unavailable")}
          {section.status === "no_beta" && section.noBeta?.message ? ` (${section.noBeta.message})` : ""}
        </Notice>
        <p>
          <Link href={ghostPage}>{t("result.ghost.open")}</Link>
        </p>
      </section>
    );
  }
  const numbers = load.kind === "drawn" || load.kind === "changed" ? load.holdNumbers : new Map<string, number>();
  const c = section.counts;
  return (
    <section className="card ghost-card" aria-labelledby="ghost-title">
      <h2 id="ghost-title">{t("result.ghost.title")}</h2>
      <p>
        <span className="swatch ghost-swatch" aria-hidden="true" />
        {load.kind === "drawn" ? t("result.ghost.drawn") : t("result.ghost.intro")}
      </p>
      {load.kind === "changed" && <Notice kind="info">{t("result.ghost.changed")}</Notice>}
      {load.kind === "error" && <Notice kind="error">{load.sentence}</Notice>}
      <p className="ghost-counts">
        {t("result.ghost.counts", {
          same: c.same_hold,
          other: c.other_hold,
          extra: c.extra_move,
          skipped: c.skipped_move,
        })}
      </p>
      {section.compared.length > 0 && (
        <ol className="ghost-deviations">
          {section.compared.map((m, i) => (
            <li key={i} className={m.kind === "same_hold" && !m.reordered ? "same" : "deviation"}>
              {m.videoMs !== null ? (
                <button
                  type="button"
                  className="inline-timecode"
                  data-timestamp-ms={m.videoMs}
                  onClick={() => onSeek(m.videoMs!)}
                  aria-label={t("result.seek", { time: formatTimecode(m.videoMs) })}
                >
                  {formatTimecode(m.videoMs)}
                </button>
              ) : null}{" "}
              <span className="badge">{t(`result.ghost.kind.${m.kind}`)}</span> {comparedText(i18n, m, numbers)}
            </li>
          ))}
        </ol>
      )}
      <p>
        <Link href={ghostPage}>{t("result.ghost.open")}</Link>
      </p>
    </section>
  );
}
