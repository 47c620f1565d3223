// One route: the detection followed live (route:* events, polling when the socket is closed),
// then the photo with its holds drawn over it and the corrections: select a colour, tap a hold
// to select or deselect it, mark the start and the top, delete a hold, add one by tapping the
// photo (or, from the keyboard, at a cursor moved with the arrows), move and resize a hold (drag
// it or its handle, or arrows and + / − on the focused hold); the name, grade and wall angle;
// deleting the route. Every change is sent at once (a keyboard move once the keys pause) and the
// hold the API gives back is drawn (what is on screen is what is stored).
import {
  useEffect,
  useRef,
  useState,
  type Dispatch,
  type FormEvent,
  type KeyboardEvent,
  type MouseEvent,
  type PointerEvent,
  type SetStateAction,
} from "react";
import { Link, useLocation } from "wouter";
import { ApiError } from "../api/client";
import { codeSentence, errorSentence } from "../api/errors";
import { POLL_INTERVAL_MS, socketUrl, watchRoute, type JobProgress, type RouteStatus } from "../api/progress";
import {
  COLOUR_CSS,
  GRADE_SYSTEMS,
  HOLD_COLOURS,
  coloursOf,
  readHold,
  readRouteDetail,
  type Hold,
  type HoldColour,
  type RouteDetail,
} from "../api/routes";
import { Notice, Page } from "../app/Page";
import { useSession } from "../app/session";
import { useI18n, type I18n } from "../i18n/I18n";
import { centroid, keyEdit, keyStep, moveOutline, resizeOutline, type Outline } from "../routes/editing";
import { RoutePhoto, outlinePoints } from "../routes/RoutePhoto";
import { routeTitle } from "./Routes";

type Tool = "toggle" | "start" | "top" | "move" | "delete" | "add";
const TOOLS: readonly Tool[] = ["toggle", "start", "top", "move", "delete", "add"];

/** A keyboard move is sent once the keys have paused this long. */
export const KEY_COMMIT_MS = 400;

/** A hold moved or resized on screen and not yet sent: drawn in place of the stored one. */
interface Draft {
  id: string;
  outline: Outline;
  /** Resized (sent as its outline) or only moved (sent as its new centre: a move correction). */
  resized: boolean;
}

/** A drag under way: of the hold itself (a move) or of its handle (a resize). */
interface Drag {
  id: string;
  kind: "move" | "resize";
  pointer: number;
  /** Where it started, in image pixels, and the outline then. */
  start: { x: number; y: number };
  outline: Outline;
}

export function routeFailureSentence(i18n: I18n, code: string): string {
  if (code === "unsupported_dimensions") return i18n.t("error.photo_dimensions");
  return codeSentence(i18n, code, "error.detection_failed");
}

/** "Hold 3: blue, medium, selected, start" — what a screen reader says of a hold. */
export function holdLabel(i18n: I18n, h: Hold, index: number): string {
  const parts = [
    i18n.t(`colour.${h.colour}`),
    i18n.t(`size.${h.size}`),
    h.selected ? i18n.t("routes.hold.selected") : i18n.t("routes.hold.unselected"),
  ];
  if (h.role === "start" || h.role === "top") parts.push(i18n.t(`routes.role.${h.role}`));
  return i18n.t("routes.hold.label", { index: index + 1, details: parts.join(", ") });
}

export function RoutePage({ id }: { id: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { api } = useSession();
  const [route, setRoute] = useState<RouteDetail | null>(null);
  const [progress, setProgress] = useState<JobProgress<RouteStatus> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  const load = async () => {
    const d = readRouteDetail(await api.request<unknown>("GET", `/v1/routes/${encodeURIComponent(id)}`));
    if (!d) throw new ApiError(0, "bad_response", "route");
    return d;
  };

  useEffect(() => {
    let live = true;
    setError(null);
    load()
      .then((d) => live && setRoute(d))
      .catch((e) => live && setError(errorSentence(i18n, e)));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, id, reload]);

  const watching = route !== null && (route.status === "detecting" || route.status === "awaiting_upload");
  useEffect(() => {
    if (!watching) return;
    const stop = watchRoute({
      routeId: id,
      fetchRoute: async () => {
        const r = await load();
        return {
          status: r.status,
          progress: r.progress,
          stage: r.stage,
          error: r.errorCode ? { code: r.errorCode } : null,
        };
      },
      openSocket: () => new WebSocket(socketUrl(window.location)),
      onChange: setProgress,
      onDone: () => setReload((n) => n + 1),
    });
    return stop;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, id, watching]);

  if (error) {
    return (
      <Page title={t("route.title")}>
        <Notice kind="error">{error}</Notice>
        <p>
          <Link href="/routes">{t("routes.back")}</Link>
        </p>
      </Page>
    );
  }
  if (!route) return <p className="loading">{t("app.loading")}</p>;
  if (watching) {
    const percent = Math.max(0, Math.min(100, Math.round(progress?.progress ?? route.progress)));
    return (
      <Page title={t("route.detecting")}>
        <section className="card progress-card">
          <p className="stage" aria-live="polite">
            {t("route.detectingStage")}
          </p>
          <div className="progress-row">
            <progress max={100} value={percent} aria-label={t("route.progressLabel")} aria-valuetext={`${percent} %`} />
            <span className="percent">{t("progress.percent", { percent })}</span>
          </div>
          <p className={progress?.live ? "connection live" : "connection"} role="status">
            {progress?.live ? t("progress.live") : t("progress.polling", { seconds: POLL_INTERVAL_MS / 1000 })}
          </p>
        </section>
      </Page>
    );
  }
  if (route.status === "failed") {
    return (
      <Page title={t("route.failedTitle")}>
        <Notice kind="error">{routeFailureSentence(i18n, route.errorCode ?? "detection_failed")}</Notice>
        <div className="actions">
          <button
            type="button"
            className="primary"
            onClick={async () => {
              try {
                await api.request("POST", `/v1/routes/${id}/detect`, { body: {} });
                setReload((n) => n + 1);
              } catch (e) {
                setError(errorSentence(i18n, e));
              }
            }}
          >
            {t("route.detectAgain")}
          </button>
          <Link href="/routes">{t("routes.back")}</Link>
        </div>
        <DeleteRoute id={id} />
      </Page>
    );
  }
  return <Editor route={route} setRoute={setRoute} />;
}

function Editor({ route, setRoute }: { route: RouteDetail; setRoute: Dispatch<SetStateAction<RouteDetail | null>> }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { api } = useSession();
  const [tool, setTool] = useState<Tool>("toggle");
  const [addColour, setAddColour] = useState<HoldColour>("blue");
  const [message, setMessage] = useState<string>("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [size, setSize] = useState<{ w: number; h: number }>({ w: route.imageWidth, h: route.imageHeight });
  const svg = useRef<SVGSVGElement>(null);
  const base = `/v1/routes/${route.id}`;
  // The hold being moved or resized (state to draw it, ref for the timers and the answers).
  const [draft, setDraftState] = useState<Draft | null>(null);
  const draftRef = useRef<Draft | null>(null);
  const commitTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  // Geometry changes are sent one after the other, in the order they were made.
  const sending = useRef<Promise<void>>(Promise.resolve());
  const drag = useRef<Drag | null>(null);
  const [active, setActive] = useState<string | null>(null);
  // The keyboard's add cursor (image pixels), shown while the photo has the focus.
  const [cursor, setCursor] = useState<{ x: number; y: number } | null>(null);
  const [photoFocused, setPhotoFocused] = useState(false);

  const setDraft = (d: Draft | null) => {
    draftRef.current = d;
    setDraftState(d);
  };

  const replaceHold = (h: Hold) =>
    setRoute((r) => (r ? { ...r, holds: r.holds.map((x) => (x.id === h.id ? h : x)) } : r));

  const run = async (what: () => Promise<void>) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await what();
    } catch (e) {
      setError(errorSentence(i18n, e));
    } finally {
      setBusy(false);
    }
  };

  const patchHold = (h: Hold, body: Record<string, unknown>) =>
    run(async () => {
      const changed = readHold(await api.request<unknown>("PATCH", `${base}/holds/${h.id}`, { body }));
      if (!changed) throw new ApiError(0, "bad_response", "hold");
      replaceHold(changed);
      const index = route.holds.findIndex((x) => x.id === h.id);
      setMessage(holdLabel(i18n, changed, index));
    });

  const apply = (h: Hold, index: number) => {
    switch (tool) {
      case "toggle":
        return patchHold(h, { selected: !h.selected });
      case "start":
      case "top":
        return patchHold(h, h.role === tool ? { role: null } : { role: tool, selected: true });
      case "delete":
        return run(async () => {
          await api.request("DELETE", `${base}/holds/${h.id}`);
          setRoute({ ...route, holds: route.holds.filter((x) => x.id !== h.id) });
          setMessage(t("routes.hold.deleted", { index: index + 1 }));
        });
      case "move":
      case "add":
        return undefined;
    }
  };

  /** The pointer's position in image pixels. */
  const imagePoint = (clientX: number, clientY: number) => {
    const box = svg.current!.getBoundingClientRect();
    return {
      x: ((clientX - box.left) / Math.max(1, box.width)) * size.w,
      y: ((clientY - box.top) / Math.max(1, box.height)) * size.h,
    };
  };

  const addAt = (e: MouseEvent<SVGSVGElement>) => {
    if (tool !== "add" || !svg.current || size.w <= 0) return;
    if (e.target !== svg.current && !(e.target as Element).classList.contains("photo-backdrop")) return;
    const { x, y } = imagePoint(e.clientX, e.clientY);
    addHoldAt(x, y);
  };

  const addHoldAt = (x: number, y: number) => {
    const radius = Math.max(4, Math.round(Math.max(size.w, size.h) * 0.015));
    void run(async () => {
      const added = readHold(
        await api.request<unknown>("POST", `${base}/holds`, {
          body: { centre: { x, y }, radius, colour: addColour, selected: true },
        }),
      );
      if (!added) throw new ApiError(0, "bad_response", "hold");
      setRoute((r) => (r ? { ...r, holds: [...r.holds, added] } : r));
      setMessage(t("routes.hold.added", { index: route.holds.length + 1, colour: t(`colour.${addColour}`) }));
    });
  };

  // Sends a draft: a move as the new centre (the API moves the outline with it and records a
  // move), a resize as the whole outline. The answer is drawn unless the hold moved again since.
  const commit = (d: Draft) => {
    const index = route.holds.findIndex((x) => x.id === d.id);
    const body = d.resized ? { outline: d.outline } : { centre: centroid(d.outline) };
    sending.current = sending.current.then(async () => {
      try {
        const changed = readHold(await api.request<unknown>("PATCH", `${base}/holds/${d.id}`, { body }));
        if (!changed) throw new ApiError(0, "bad_response", "hold");
        replaceHold(changed);
        if (draftRef.current === d) setDraft(null);
        setMessage(
          t(d.resized ? "routes.hold.resized" : "routes.hold.moved", { hold: holdLabel(i18n, changed, index) }),
        );
      } catch (e) {
        if (draftRef.current === d) setDraft(null);
        setError(errorSentence(i18n, e));
      }
    });
  };

  const commitNow = () => {
    if (commitTimer.current) clearTimeout(commitTimer.current);
    commitTimer.current = null;
    const d = draftRef.current;
    if (d) commit(d);
  };

  useEffect(
    () => () => {
      if (commitTimer.current) clearTimeout(commitTimer.current);
    },
    [],
  );

  /** The outline on screen for a hold: its draft's, or the stored one. */
  const outlineOf = (h: Hold): Outline => (draft && draft.id === h.id ? draft.outline : h.outline);

  const edit = (h: Hold, outline: Outline | null, resized: boolean) => {
    if (!outline) return;
    const before = draftRef.current;
    if (before && before.id !== h.id) commitNow();
    const d = { id: h.id, outline, resized: resized || (before?.id === h.id && before.resized) };
    setDraft(d);
    return d;
  };

  const onHoldEditKey = (e: KeyboardEvent, h: Hold) => {
    const change = keyEdit(e.key, keyStep(size.w, size.h, e.shiftKey));
    if (!change || size.w <= 0) return false;
    e.preventDefault();
    const from = draftRef.current?.id === h.id ? draftRef.current.outline : h.outline;
    const next =
      change.kind === "move"
        ? moveOutline(from, change.dx, change.dy, size.w, size.h)
        : resizeOutline(from, change.factor, size.w, size.h);
    if (edit(h, next, change.kind === "resize")) {
      if (commitTimer.current) clearTimeout(commitTimer.current);
      commitTimer.current = setTimeout(commitNow, KEY_COMMIT_MS);
    }
    return true;
  };

  const startDrag = (e: PointerEvent<SVGElement>, h: Hold, kind: Drag["kind"]) => {
    if (tool !== "move" || !svg.current || size.w <= 0 || e.button !== 0) return;
    e.preventDefault();
    e.stopPropagation();
    commitNow();
    (e.currentTarget as Element).setPointerCapture?.(e.pointerId);
    drag.current = {
      id: h.id,
      kind,
      pointer: e.pointerId,
      start: imagePoint(e.clientX, e.clientY),
      outline: outlineOf(h),
    };
    setActive(h.id);
  };

  const onDragMove = (e: PointerEvent<SVGElement>, h: Hold) => {
    const g = drag.current;
    if (!g || g.pointer !== e.pointerId || g.id !== h.id) return;
    const p = imagePoint(e.clientX, e.clientY);
    if (g.kind === "move") {
      edit(h, moveOutline(g.outline, p.x - g.start.x, p.y - g.start.y, size.w, size.h), false);
    } else {
      const c = centroid(g.outline);
      const factor = Math.hypot(p.x - c.x, p.y - c.y) / Math.max(1, Math.hypot(g.start.x - c.x, g.start.y - c.y));
      edit(h, resizeOutline(g.outline, factor, size.w, size.h), true);
    }
  };

  const endDrag = (e: PointerEvent<SVGElement>) => {
    const g = drag.current;
    if (!g || g.pointer !== e.pointerId) return;
    drag.current = null;
    if (draftRef.current?.id === g.id) commitNow();
  };

  // The keyboard's way to add a hold: the photo takes the focus, the arrows move a cursor,
  // Enter adds a hold under it.
  const onPhotoKey = (e: KeyboardEvent<SVGSVGElement>) => {
    if (tool !== "add" || e.target !== svg.current || size.w <= 0) return;
    const at = cursor ?? { x: size.w / 2, y: size.h / 2 };
    const change = keyEdit(e.key, keyStep(size.w, size.h, e.shiftKey));
    if (change?.kind === "move") {
      e.preventDefault();
      setCursor({
        x: Math.min(size.w, Math.max(0, at.x + change.dx)),
        y: Math.min(size.h, Math.max(0, at.y + change.dy)),
      });
    } else if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      addHoldAt(at.x, at.y);
    }
  };

  const selectColour = (colour: HoldColour) =>
    run(async () => {
      const d = readRouteDetail(await api.request<unknown>("POST", `${base}/select`, { body: { colour } }));
      if (!d) throw new ApiError(0, "bad_response", "route");
      setRoute(d);
      setMessage(
        t("routes.colourSelected", { colour: t(`colour.${colour}`), count: d.holds.filter((h) => h.selected).length }),
      );
    });

  const onHoldKey = (e: KeyboardEvent, h: Hold, index: number) => {
    if (tool !== "add" && onHoldEditKey(e, h)) return;
    if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      void apply(h, index);
    }
  };

  const selected = route.holds.filter((h) => h.selected).length;
  const w = size.w || 1;
  const h = size.h || 1;
  const stroke = Math.max(w, h) / 400;
  return (
    <Page title={routeTitle(i18n, route)} wide>
      <p className="muted">
        {t("routes.summary", { holds: route.holds.length, selected })}{" "}
        <Link href={`/routes/${route.id}/ghost`}>{t("routes.openGhost")}</Link>
      </p>
      <div className="route-layout">
        <section className="card route-photo-card" aria-labelledby="photo-title">
          <h2 id="photo-title" className="visually-hidden">
            {t("routes.photoTitle")}
          </h2>
          <RoutePhoto
            width={w}
            height={h}
            imageUrl={route.imageUrl}
            alt={t("routes.photoAlt", { holds: route.holds.length })}
            onNaturalSize={(nw, nh) => size.w <= 0 && setSize({ w: nw, h: nh })}
          >
            <svg
              ref={svg}
              viewBox={`0 0 ${w} ${h}`}
              preserveAspectRatio="none"
              className={`holds-layer${tool === "add" ? " adding" : ""}${tool === "move" ? " moving" : ""}`}
              onClick={addAt}
              onKeyDown={onPhotoKey}
              tabIndex={tool === "add" ? 0 : undefined}
              onFocus={(e) => {
                if (e.target !== svg.current) return;
                setPhotoFocused(true);
                if (!cursor) setCursor({ x: w / 2, y: h / 2 });
              }}
              onBlur={(e) => e.target === svg.current && setPhotoFocused(false)}
              aria-label={tool === "add" ? t("routes.photoAddLabel") : t("routes.holdsLabel")}
              role="group"
            >
              {route.holds.map((hold, index) => {
                const outline = outlineOf(hold);
                const points = outlinePoints(outline);
                const colour = COLOUR_CSS[hold.colour];
                return (
                  <g key={hold.id} className={hold.selected ? "hold selected" : "hold"} data-hold-id={hold.id}>
                    <polygon
                      points={points}
                      role="button"
                      tabIndex={0}
                      aria-label={holdLabel(i18n, hold, index)}
                      aria-disabled={tool === "add" ? true : undefined}
                      fill={hold.selected ? colour : "transparent"}
                      fillOpacity={hold.selected ? 0.3 : 1}
                      stroke={hold.selected ? colour : "#ffffff"}
                      strokeOpacity={hold.selected ? 1 : 0.6}
                      strokeWidth={hold.selected ? stroke * 1.6 : stroke}
                      strokeDasharray={hold.selected ? undefined : `${stroke * 3} ${stroke * 2}`}
                      onClick={(e) => {
                        e.stopPropagation();
                        void apply(hold, index);
                      }}
                      onKeyDown={(e) => onHoldKey(e, hold, index)}
                      onFocus={() => setActive(hold.id)}
                      onBlur={() => draftRef.current?.id === hold.id && commitNow()}
                      onPointerDown={(e) => startDrag(e, hold, "move")}
                      onPointerMove={(e) => onDragMove(e, hold)}
                      onPointerUp={endDrag}
                      onPointerCancel={endDrag}
                    />
                    {tool === "move" && active === hold.id && (
                      <ResizeHandle
                        outline={outline}
                        r={stroke * 6}
                        stroke={stroke}
                        onPointerDown={(e) => startDrag(e, hold, "resize")}
                        onPointerMove={(e) => onDragMove(e, hold)}
                        onPointerUp={endDrag}
                      />
                    )}
                    {(hold.role === "start" || hold.role === "top") && (
                      <text
                        x={centroid(outline).x}
                        y={centroid(outline).y}
                        className="hold-role"
                        fontSize={stroke * 14}
                        strokeWidth={stroke * 3}
                        aria-hidden="true"
                      >
                        {t(`routes.role.${hold.role}Short`)}
                      </text>
                    )}
                  </g>
                );
              })}
              {tool === "add" && photoFocused && cursor && (
                <g className="add-cursor" aria-hidden="true">
                  <circle cx={cursor.x} cy={cursor.y} r={stroke * 8} strokeWidth={stroke * 1.5} />
                  <line
                    x1={cursor.x - stroke * 14}
                    y1={cursor.y}
                    x2={cursor.x + stroke * 14}
                    y2={cursor.y}
                    strokeWidth={stroke}
                  />
                  <line
                    x1={cursor.x}
                    y1={cursor.y - stroke * 14}
                    x2={cursor.x}
                    y2={cursor.y + stroke * 14}
                    strokeWidth={stroke}
                  />
                </g>
              )}
            </svg>
          </RoutePhoto>
          <p className="visually-hidden" role="status">
            {message}
          </p>
        </section>
        <div className="route-side">
          <section className="card" aria-labelledby="tools-title">
            <h2 id="tools-title">{t("routes.tools")}</h2>
            {error && <Notice kind="error">{error}</Notice>}
            <fieldset className="tools" disabled={busy}>
              <legend>{t("routes.toolLegend")}</legend>
              {TOOLS.map((k) => (
                <label key={k} className="radio">
                  <input type="radio" name="tool" value={k} checked={tool === k} onChange={() => setTool(k)} />
                  {t(`routes.tool.${k}`)}
                </label>
              ))}
            </fieldset>
            {tool === "add" && (
              <p className="field">
                <label htmlFor="add-colour">{t("routes.addColour")}</label>
                <select id="add-colour" value={addColour} onChange={(e) => setAddColour(e.target.value as HoldColour)}>
                  {HOLD_COLOURS.map((c) => (
                    <option key={c} value={c}>
                      {t(`colour.${c}`)}
                    </option>
                  ))}
                </select>
              </p>
            )}
            <p className="hint">{t(`routes.toolHint.${tool}`)}</p>
            <p className="hint">{t("routes.keysHint")}</p>
            <h3>{t("routes.byColour")}</h3>
            <ul className="colour-buttons">
              {coloursOf(route.holds).map((c) => (
                <li key={c.colour}>
                  <button type="button" disabled={busy} onClick={() => void selectColour(c.colour)}>
                    <span className="swatch" style={{ background: COLOUR_CSS[c.colour] }} aria-hidden="true" />
                    {t("routes.selectColour", { colour: t(`colour.${c.colour}`), count: c.holds })}
                  </button>
                </li>
              ))}
            </ul>
          </section>
          <RouteDetails route={route} setRoute={setRoute} />
          <DeleteRoute id={route.id} />
        </div>
      </div>
    </Page>
  );
}

/** The corner a resize drag starts from: the bottom right of the hold's box. */
function ResizeHandle({
  outline,
  r,
  stroke,
  onPointerDown,
  onPointerMove,
  onPointerUp,
}: {
  outline: Outline;
  r: number;
  stroke: number;
  onPointerDown: (e: PointerEvent<SVGElement>) => void;
  onPointerMove: (e: PointerEvent<SVGElement>) => void;
  onPointerUp: (e: PointerEvent<SVGElement>) => void;
}) {
  const x = Math.max(...outline.map((p) => p[0]));
  const y = Math.max(...outline.map((p) => p[1]));
  return (
    <circle
      className="resize-handle"
      cx={x}
      cy={y}
      r={r}
      strokeWidth={stroke}
      aria-hidden="true"
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
    />
  );
}

function RouteDetails({ route, setRoute }: { route: RouteDetail; setRoute: (r: RouteDetail) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { api } = useSession();
  const [name, setName] = useState(route.name ?? "");
  const [grade, setGrade] = useState(route.grade ?? "");
  const [system, setSystem] = useState<string>(route.gradeSystem ?? "fontainebleau");
  const [angle, setAngle] = useState(route.wallAngleDeg === null ? "" : String(route.wallAngleDeg));
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setSaved(false);
    const n = angle.trim() === "" ? null : Number(angle.replace(",", "."));
    if (n !== null && (!Number.isFinite(n) || n < -30 || n > 90)) {
      setError(t("routes.angleRange"));
      return;
    }
    const body: Record<string, unknown> = {
      name: name.trim() === "" ? null : name.trim(),
      grade: grade.trim() === "" ? null : grade.trim(),
      wall_angle_deg: n,
    };
    if (grade.trim() !== "") body["grade_system"] = system;
    try {
      const r = await api.request<Record<string, unknown>>("PATCH", `/v1/routes/${route.id}`, { body });
      const name2 = typeof r["name"] === "string" ? r["name"] : null;
      const grade2 = typeof r["grade"] === "string" ? r["grade"] : null;
      const angle2 = typeof r["wall_angle_deg"] === "number" ? r["wall_angle_deg"] : null;
      setRoute({ ...route, name: name2, grade: grade2, wallAngleDeg: angle2 });
      // As the API stores them (a grade is written the way its system writes it: 6a+ → 6A+).
      setName(name2 ?? "");
      setGrade(grade2 ?? "");
      setSaved(true);
    } catch (err) {
      setError(
        err instanceof ApiError && err.code === "validation_failed" && /grade/i.test(err.serverMessage)
          ? t("routes.gradeInvalid")
          : errorSentence(i18n, err),
      );
    }
  };

  return (
    <form className="card form" onSubmit={submit} noValidate aria-labelledby="details-title">
      <h2 id="details-title">{t("routes.details")}</h2>
      {error && <Notice kind="error">{error}</Notice>}
      {saved && <Notice kind="success">{t("routes.saved")}</Notice>}
      <div className="field">
        <label htmlFor="route-name">{t("routes.name")}</label>
        <input id="route-name" name="name" maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <div className="pair">
        <div className="field">
          <label htmlFor="route-grade-system">{t("routes.gradeSystem")}</label>
          <select id="route-grade-system" value={system} onChange={(e) => setSystem(e.target.value)}>
            {GRADE_SYSTEMS.map((g) => (
              <option key={g} value={g}>
                {t(`grade.${g}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="route-grade">{t("routes.grade")}</label>
          <input id="route-grade" name="grade" value={grade} onChange={(e) => setGrade(e.target.value)} />
        </div>
      </div>
      <div className="field">
        <label htmlFor="route-angle">{t("routes.angle")}</label>
        <p id="route-angle-hint" className="hint">
          {t("routes.angleHint")}
        </p>
        <input
          id="route-angle"
          name="wall_angle_deg"
          inputMode="decimal"
          aria-describedby="route-angle-hint"
          value={angle}
          onChange={(e) => setAngle(e.target.value)}
        />
      </div>
      <div className="actions">
        <button type="submit" className="primary">
          {t("routes.save")}
        </button>
      </div>
    </form>
  );
}

function DeleteRoute({ id }: { id: string }) {
  const { t } = useI18n();
  const i18n = useI18n();
  const { api } = useSession();
  const [, navigate] = useLocation();
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <section className="card" aria-labelledby="delete-route-title">
      <h2 id="delete-route-title">{t("routes.delete")}</h2>
      {error && <Notice kind="error">{error}</Notice>}
      {!asking ? (
        <button type="button" className="danger" onClick={() => setAsking(true)}>
          {t("routes.delete")}
        </button>
      ) : (
        <div role="group" aria-labelledby="delete-route-question">
          <p id="delete-route-question">{t("routes.deleteQuestion")}</p>
          <div className="actions">
            <button
              type="button"
              className="danger"
              onClick={async () => {
                try {
                  await api.request("DELETE", `/v1/routes/${id}`);
                  navigate("/routes");
                } catch (e) {
                  setError(errorSentence(i18n, e));
                }
              }}
            >
              {t("routes.deleteConfirm")}
            </button>
            <button type="button" onClick={() => setAsking(false)}>
              {t("routes.deleteCancel")}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
