// The ghost of a route: the beta planned for the climber's body, played as a skeleton over the
// route's photo, with its moves listed (each one seeks the ghost to it). Ghost mode is for the
// premium tiers: a freemium climber reads why, in a sentence. A ghost being computed is
// followed by polling its read (the worker sends no ghost events); a stale ghost (the route or
// the profile changed) is said so, with a button to compute it again.
import { useEffect, useMemo, useRef, useState } from "react";
import { Link } from "wouter";
import { ApiError } from "../api/client";
import { codeSentence, errorSentence } from "../api/errors";
import { frameAt, readGhost, type GhostDoc, type GhostMove } from "../api/ghost";
import { isObject, str } from "../api/guards";
import { COLOUR_CSS, readRouteDetail, type RouteDetail } from "../api/routes";
import { Notice, Page } from "../app/Page";
import { useSession } from "../app/session";
import { useI18n, type I18n } from "../i18n/I18n";
import { drawOverlay } from "../overlay/skeleton";
import { formatTimecode } from "../overlay/timeline";
import { RoutePhoto, outlinePoints } from "../routes/RoutePhoto";
import { routeTitle } from "./Routes";

export const GHOST_POLL_MS = 2000;

export type GhostView =
  | { kind: "loading" }
  | { kind: "none" }
  | { kind: "computing" }
  | { kind: "stale" }
  | { kind: "failed"; code: string }
  | { kind: "ready"; doc: GhostDoc }
  | { kind: "refused"; sentence: string };

const LIMBS = new Set(["left_hand", "right_hand", "left_foot", "right_foot"]);

function moveText(i18n: I18n, m: GhostMove, holdNumber: (id: string | null) => string): string {
  const limb = LIMBS.has(m.limb) ? i18n.t(`ghost.limb.${m.limb}` as "ghost.limb.left_hand") : m.limb;
  return i18n.t("ghost.move", {
    limb,
    from: holdNumber(m.from),
    to: holdNumber(m.to),
    distance: m.distanceCm === null ? "—" : i18n.number(m.distanceCm, 0),
  });
}

export function GhostPage({ id }: { id: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { api } = useSession();
  const [route, setRoute] = useState<RouteDetail | null>(null);
  const [view, setView] = useState<GhostView>({ kind: "loading" });
  const [error, setError] = useState<string | null>(null);
  const [wallHeight, setWallHeight] = useState("");
  const [asked, setAsked] = useState(0);

  const refused = (e: unknown): GhostView | null =>
    e instanceof ApiError && e.code === "premium_required"
      ? { kind: "refused", sentence: t("ghost.premiumRequired") }
      : null;

  // The route (photo and holds) once; the ghost read again while it is computed.
  useEffect(() => {
    let live = true;
    api
      .request<unknown>("GET", `/v1/routes/${encodeURIComponent(id)}`)
      .then((d) => live && setRoute(readRouteDetail(d)))
      .catch((e) => live && setError(errorSentence(i18n, e)));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, id]);

  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const read = async () => {
      try {
        const g = await api.request<Record<string, unknown>>("GET", `/v1/routes/${encodeURIComponent(id)}/ghost`);
        if (!live) return;
        const status = str(g["status"]);
        if (status === "computing") {
          setView({ kind: "computing" });
          timer = setTimeout(read, GHOST_POLL_MS);
        } else if (status === "failed") {
          const e = g["error"];
          setView({ kind: "failed", code: (isObject(e) && str(e["code"])) || "internal_error" });
        } else setView({ kind: "ready", doc: readGhost(g["ghost"]) });
      } catch (e) {
        if (!live) return;
        if (e instanceof ApiError && e.code === "ghost_not_found") setView({ kind: "none" });
        else if (e instanceof ApiError && e.code === "ghost_stale") setView({ kind: "stale" });
        else {
          const r = refused(e);
          if (r) setView(r);
          else {
            setError(errorSentence(i18n, e));
            timer = setTimeout(read, GHOST_POLL_MS * 2);
          }
        }
      }
    };
    void read();
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, id, asked]);

  const request = async () => {
    setError(null);
    const h = wallHeight.trim() === "" ? null : Number(wallHeight.replace(",", "."));
    if (h !== null && (!Number.isFinite(h) || h < 100 || h > 5000)) {
      setError(t("ghost.wallHeightRange"));
      return;
    }
    try {
      await api.request("POST", `/v1/routes/${encodeURIComponent(id)}/ghost`, {
        body: h === null ? {} : { scale: { wall_height_cm: h } },
      });
      setAsked((n) => n + 1);
    } catch (e) {
      const r = refused(e);
      if (r) setView(r);
      else setError(errorSentence(i18n, e));
    }
  };

  const title = route ? t("ghost.titleOf", { route: routeTitle(i18n, route) }) : t("ghost.title");
  const requestForm = (label: string) => (
    <form
      className="card form narrow"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void request();
      }}
    >
      <div className="field">
        <label htmlFor="wall-height">{t("ghost.wallHeight")}</label>
        <p id="wall-height-hint" className="hint">
          {t("ghost.wallHeightHint")}
        </p>
        <input
          id="wall-height"
          inputMode="decimal"
          aria-describedby="wall-height-hint"
          value={wallHeight}
          onChange={(e) => setWallHeight(e.target.value)}
        />
      </div>
      <div className="actions">
        <button type="submit" className="primary">
          {label}
        </button>
      </div>
    </form>
  );

  return (
    <Page title={title} wide>
      <p>
        <Link href={`/routes/${id}`}>{t("ghost.backToRoute")}</Link>
      </p>
      {error && <Notice kind="error">{error}</Notice>}
      {view.kind === "loading" && <p className="loading">{t("app.loading")}</p>}
      {view.kind === "refused" && <Notice kind="info">{view.sentence}</Notice>}
      {view.kind === "none" && (
        <>
          <p className="lead">{t("ghost.intro")}</p>
          {requestForm(t("ghost.compute"))}
        </>
      )}
      {view.kind === "computing" && (
        <section className="card progress-card">
          <p role="status" className="stage">
            {t("ghost.computing")}
          </p>
          <progress aria-label={t("ghost.computingLabel")} />
        </section>
      )}
      {view.kind === "stale" && (
        <>
          <Notice kind="info">{t("ghost.stale")}</Notice>
          {requestForm(t("ghost.recompute"))}
        </>
      )}
      {view.kind === "failed" && (
        <>
          <Notice kind="error">{codeSentence(i18n, view.code, "error.ghost_failed")}</Notice>
          {requestForm(t("ghost.recompute"))}
        </>
      )}
      {view.kind === "ready" && route && <GhostPlayer route={route} doc={view.doc} />}
    </Page>
  );
}

function GhostPlayer({ route, doc }: { route: RouteDetail; doc: GhostDoc }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [positionMs, setPositionMs] = useState(0);
  const [playing, setPlaying] = useState(false);
  const canvas = useRef<HTMLCanvasElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const started = useRef<{ at: number; from: number } | null>(null);
  const [boxSize, setBoxSize] = useState({ w: 0, h: 0 });
  const w = route.imageWidth || 1;
  const h = route.imageHeight || 1;
  const numbers = useMemo(() => new Map(route.holds.map((hold, i) => [hold.id, i + 1])), [route.holds]);
  const holdNumber = (hid: string | null) =>
    hid === null
      ? t("ghost.nothing")
      : hid === "smear"
        ? t("ghost.smear")
        : numbers.has(hid)
          ? t("ghost.holdNumber", { n: numbers.get(hid)! })
          : t("ghost.holdUnknown");

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setBoxSize({ w: el.clientWidth, h: el.clientHeight }));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Playing: the position follows the clock, and stops at the end.
  useEffect(() => {
    if (!playing) return;
    let raf = 0;
    started.current = { at: performance.now(), from: positionMs >= doc.durationMs ? 0 : positionMs };
    const tick = (now: number) => {
      const s = started.current!;
      const p = s.from + (now - s.at);
      if (p >= doc.durationMs) {
        setPositionMs(doc.durationMs);
        setPlaying(false);
        return;
      }
      setPositionMs(p);
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [playing, doc]);

  const frame = frameAt(doc.frames, positionMs);
  useEffect(() => {
    const c = canvas.current;
    if (!c || boxSize.w === 0) return;
    const scale = window.devicePixelRatio || 1;
    const cw = Math.round(boxSize.w * scale);
    const ch = Math.round(boxSize.h * scale);
    if (c.width !== cw) c.width = cw;
    if (c.height !== ch) c.height = ch;
    const ctx = c.getContext("2d");
    if (!ctx) return;
    drawOverlay(ctx, {
      frame,
      trail: [],
      layers: { skeleton: true, angles: false, com: true, trail: false, ghost: false },
      width: cw,
      height: ch,
      scale,
    });
    c.dataset["position"] = String(frame?.timestampMs ?? 0);
  }, [frame, boxSize]);

  if (doc.noBeta || doc.moves.length === 0) {
    return (
      <Notice kind="info">
        {t("ghost.noBeta")}
        {doc.noBeta?.message ? ` (${doc.noBeta.message})` : ""}
      </Notice>
    );
  }
  const current = doc.moves.findIndex((m) => positionMs >= m.startMs && positionMs < m.endMs);
  const used = new Set(doc.moves.flatMap((m) => [m.from, m.to]));
  return (
    <div className="route-layout">
      <section className="card route-photo-card" aria-labelledby="ghost-photo-title">
        <h2 id="ghost-photo-title" className="visually-hidden">
          {t("ghost.photoTitle")}
        </h2>
        <RoutePhoto
          ref={box}
          width={w}
          height={h}
          imageUrl={route.imageUrl}
          alt={t("ghost.photoAlt", { moves: doc.moves.length })}
        >
          <svg viewBox={`0 0 ${w} ${h}`} preserveAspectRatio="none" aria-hidden="true">
            {route.holds
              .filter((hold) => hold.selected)
              .map((hold) => (
                <polygon
                  key={hold.id}
                  points={outlinePoints(hold.outline)}
                  fill="none"
                  stroke={COLOUR_CSS[hold.colour]}
                  strokeOpacity={used.has(hold.id) ? 1 : 0.5}
                  strokeWidth={Math.max(w, h) / (used.has(hold.id) ? 250 : 500)}
                />
              ))}
            {/* The numbers the moves list names, beside the holds the ghost uses. */}
            {route.holds.map((hold, i) =>
              used.has(hold.id) ? (
                <text
                  key={`n-${hold.id}`}
                  x={hold.centre.x}
                  y={hold.centre.y}
                  className="hold-number"
                  fontSize={Math.max(w, h) / 40}
                  strokeWidth={Math.max(w, h) / 300}
                  textAnchor="middle"
                  dominantBaseline="central"
                >
                  {i + 1}
                </text>
              ) : null,
            )}
          </svg>
          <canvas ref={canvas} className="overlay-canvas ghost-canvas" aria-hidden="true" />
        </RoutePhoto>
        <div className="ghost-controls">
          <button type="button" className="primary" onClick={() => setPlaying((p) => !p)} aria-pressed={playing}>
            {playing ? t("ghost.pause") : t("ghost.play")}
          </button>
          <label htmlFor="ghost-position" className="visually-hidden">
            {t("ghost.position")}
          </label>
          <input
            id="ghost-position"
            type="range"
            min={0}
            max={Math.round(doc.durationMs)}
            step={Math.max(1, Math.round(doc.durationMs / 500))}
            value={Math.round(positionMs)}
            aria-valuetext={formatTimecode(positionMs)}
            onChange={(e) => {
              setPlaying(false);
              setPositionMs(Number(e.target.value));
            }}
          />
          <span className="timecode" aria-hidden="true">
            {formatTimecode(positionMs)} / {formatTimecode(doc.durationMs)}
          </span>
        </div>
      </section>
      <section className="card" aria-labelledby="ghost-moves-title">
        <h2 id="ghost-moves-title">{t("ghost.moves", { count: doc.moves.length })}</h2>
        <ol className="ghost-moves">
          {doc.moves.map((m, i) => (
            <li key={m.index} className={i === current ? "current" : undefined}>
              <button
                type="button"
                className="link-button"
                aria-current={i === current ? "step" : undefined}
                onClick={() => {
                  setPlaying(false);
                  setPositionMs(m.startMs);
                }}
              >
                <span className="timecode">{formatTimecode(m.startMs)}</span> {moveText(i18n, m, holdNumber)}
              </button>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
