// One route: the detection followed live (route:* events, polling when the socket is closed),
// then the photo with its holds drawn over it and the corrections: select a colour, tap a hold
// to select or deselect it, mark the start and the top, delete a hold, add one by tapping the
// photo; the name, grade and wall angle; deleting the route. Every change is sent at once and
// the hold the API gives back is drawn (what is on screen is what is stored).
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent, type MouseEvent } from "react";
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
import { routeTitle } from "./Routes";

type Tool = "toggle" | "start" | "top" | "delete" | "add";
const TOOLS: readonly Tool[] = ["toggle", "start", "top", "delete", "add"];

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

function Editor({ route, setRoute }: { route: RouteDetail; setRoute: (r: RouteDetail) => void }) {
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

  const replaceHold = (h: Hold) => setRoute({ ...route, holds: route.holds.map((x) => (x.id === h.id ? h : x)) });

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
      case "add":
        return undefined;
    }
  };

  const addAt = (e: MouseEvent<SVGSVGElement>) => {
    if (tool !== "add" || !svg.current || size.w <= 0) return;
    if (e.target !== svg.current && !(e.target as Element).classList.contains("photo-backdrop")) return;
    const box = svg.current.getBoundingClientRect();
    const x = ((e.clientX - box.left) / box.width) * size.w;
    const y = ((e.clientY - box.top) / box.height) * size.h;
    const radius = Math.max(4, Math.round(Math.max(size.w, size.h) * 0.015));
    void run(async () => {
      const added = readHold(
        await api.request<unknown>("POST", `${base}/holds`, {
          body: { centre: { x, y }, radius, colour: addColour, selected: true },
        }),
      );
      if (!added) throw new ApiError(0, "bad_response", "hold");
      setRoute({ ...route, holds: [...route.holds, added] });
      setMessage(t("routes.hold.added", { index: route.holds.length + 1, colour: t(`colour.${addColour}`) }));
    });
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
          <div className="route-photo" style={{ aspectRatio: `${w} / ${h}`, ["--aspect" as string]: w / h }}>
            {route.imageUrl && (
              <img
                src={route.imageUrl}
                alt={t("routes.photoAlt", { holds: route.holds.length })}
                onLoad={(e) => {
                  const img = e.currentTarget;
                  if (size.w <= 0 && img.naturalWidth > 0) setSize({ w: img.naturalWidth, h: img.naturalHeight });
                }}
              />
            )}
            <svg
              ref={svg}
              viewBox={`0 0 ${w} ${h}`}
              preserveAspectRatio="none"
              className={tool === "add" ? "holds-layer adding" : "holds-layer"}
              onClick={addAt}
              aria-label={t("routes.holdsLabel")}
              role="group"
            >
              {route.holds.map((hold, index) => {
                const points = hold.outline.map(([x, y]) => `${x},${y}`).join(" ");
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
                    />
                    {(hold.role === "start" || hold.role === "top") && (
                      <text
                        x={hold.centre.x}
                        y={hold.centre.y}
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
            </svg>
          </div>
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
