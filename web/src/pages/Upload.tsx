// Choose a video, check it here, send it straight to storage with a progress bar, start the
// analysis (on one of the climber's ready routes, when one is chosen), and go to its page.
import { useEffect, useRef, useState, type DragEvent, type FormEvent } from "react";
import { Link, useLocation } from "wouter";
import { ApiError } from "../api/client";
import { errorSentence } from "../api/errors";
import { readRouteList, type RouteSummary } from "../api/routes";
import type { AnalysisCreated, UploadUrl, User } from "../api/types";
import { Notice, Page } from "../app/Page";
import { useSession } from "../app/session";
import { useI18n, type I18n } from "../i18n/I18n";
import { ACCEPT_ATTRIBUTE, DEFAULT_LIMITS, checkVideo, uploadName, type Limits, type Problem } from "../upload/checks";
import { probeDuration, sendToStorage } from "../upload/put";
import { routeTitle } from "./Routes";

type Phase = { kind: "idle" } | { kind: "preparing" } | { kind: "sending"; fraction: number } | { kind: "starting" };

interface Chosen {
  file: File;
  duration: number | null;
  probing: boolean;
}

// The limits the API gave with the last upload URL, for the checks made before the next one.
let knownLimits: Limits = DEFAULT_LIMITS;

function problemSentence(i18n: I18n, p: Problem): string {
  switch (p.kind) {
    case "not_video":
      return i18n.t("check.notVideo");
    case "empty":
      return i18n.t("check.empty");
    case "too_large":
      return i18n.t("check.tooLarge", { size: i18n.bytes(p.bytes), max: i18n.bytes(p.maxBytes) });
    case "too_long":
      return i18n.t("check.tooLong", { duration: i18n.duration(p.seconds), max: i18n.duration(p.maxSeconds) });
    case "too_short":
      return i18n.t("check.tooShort");
  }
}

export function UploadPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const { api, user } = useSession();
  const [, navigate] = useLocation();
  const [chosen, setChosen] = useState<Chosen | null>(null);
  const [model, setModel] = useState<"heavy" | "full" | "lite">("heavy");
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const [error, setError] = useState<string | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  const [me, setMe] = useState<User | null>(user);
  // The climber's ready routes (null until known; the choice is left out when they cannot be read).
  const [routes, setRoutes] = useState<RouteSummary[] | null>(null);
  const [routeId, setRouteId] = useState("");
  const [dragging, setDragging] = useState(false);
  const abort = useRef<AbortController | null>(null);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    api
      .request<User>("GET", "/v1/users/me")
      .then(setMe)
      .catch(() => {});
    api
      .request<unknown>("GET", "/v1/routes?per_page=50")
      .then((d) => setRoutes(readRouteList(d).items.filter((r) => r.status === "ready")))
      .catch(() => setRoutes(null));
    return () => abort.current?.abort();
  }, [api]);

  const choose = (file: File | undefined) => {
    setError(null);
    setInfo(null);
    if (!file) {
      setChosen(null);
      return;
    }
    setChosen({ file, duration: null, probing: true });
    void probeDuration(file).then((duration) => {
      setChosen((c) => (c && c.file === file ? { file, duration, probing: false } : c));
    });
  };

  const problems = chosen
    ? checkVideo(
        { name: chosen.file.name, type: chosen.file.type, size: chosen.file.size, duration: chosen.duration },
        knownLimits,
      )
    : [];
  const busy = phase.kind !== "idle";
  // The quota known to be used up: nothing would be analysed, so nothing is sent. (The API
  // refuses anyway when another tab or device used the last one; that answer is shown too.)
  const quotaUsedUp = me !== null && typeof me.quota_used === "number" && me.quota_used >= me.monthly_quota;

  const quotaSentence = (): string =>
    errorSentence(i18n, new ApiError(429, "quota_exceeded", ""), { quota: me?.monthly_quota ?? 0 });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!chosen || chosen.probing || problems.length > 0 || busy || quotaUsedUp) return;
    const file = chosen.file;
    setError(null);
    setInfo(null);
    const controller = new AbortController();
    abort.current = controller;
    let videoId: string | null = null;
    try {
      setPhase({ kind: "preparing" });
      const target = await api.request<UploadUrl>("POST", "/v1/videos/upload-url", {
        body: { filename: uploadName(file.name) },
        signal: controller.signal,
      });
      videoId = target.video_id;
      knownLimits = {
        maxBytes: typeof target.max_bytes === "number" ? target.max_bytes : knownLimits.maxBytes,
        maxSeconds: typeof target.max_seconds === "number" ? target.max_seconds : knownLimits.maxSeconds,
      };
      // The server's own limits may be stricter than the ones checked so far.
      const late = checkVideo(
        { name: file.name, type: file.type, size: file.size, duration: chosen.duration },
        knownLimits,
      );
      if (late.length > 0) {
        void api.request("DELETE", `/v1/videos/${videoId}`).catch(() => {});
        setPhase({ kind: "idle" });
        setError(late.map((p) => problemSentence(i18n, p)).join(" "));
        return;
      }
      setPhase({ kind: "sending", fraction: 0 });
      const sent = videoId;
      await sendToStorage(target, file, {
        onProgress: (fraction) => setPhase({ kind: "sending", fraction }),
        signal: controller.signal,
        failureCode: "upload_failed",
        cleanup: () => void api.request("DELETE", `/v1/videos/${sent}`).catch(() => {}),
      });
      setPhase({ kind: "starting" });
      const created = await api.request<AnalysisCreated>("POST", "/v1/analyses", {
        body: routeId ? { video_id: videoId, route_id: routeId, model } : { video_id: videoId, model },
      });
      navigate(`/analyses/${created.analysis_id}`);
    } catch (err) {
      setPhase({ kind: "idle" });
      if (err instanceof DOMException && err.name === "AbortError") {
        setInfo(t("upload.cancelled"));
        return;
      }
      if (err instanceof ApiError && err.code === "quota_exceeded") {
        setError(quotaSentence());
        if (videoId) void api.request("DELETE", `/v1/videos/${videoId}`).catch(() => {});
        return;
      }
      setError(errorSentence(i18n, err, { quota: me?.monthly_quota ?? 0 }));
    }
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (!busy) choose(e.dataTransfer.files[0]);
  };

  const percent = phase.kind === "sending" ? Math.round(phase.fraction * 100) : 0;

  return (
    <Page title={t("upload.title")}>
      <p className="lead">{t("upload.intro")}</p>
      {me && typeof me.quota_used === "number" && (
        <p className="muted">{t("upload.quota", { used: me.quota_used, quota: me.monthly_quota })}</p>
      )}
      {quotaUsedUp && <Notice kind="info">{quotaSentence()}</Notice>}
      <form className="card form" onSubmit={submit} noValidate>
        {error && <Notice kind="error">{error}</Notice>}
        {info && <Notice kind="info">{info}</Notice>}
        <div
          className={dragging ? "dropzone dragging" : "dropzone"}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
        >
          <span className="field-title" id="video-file-title">
            {t("upload.file")}
          </span>
          <p id="video-file-hint" className="hint">
            {t("upload.fileHint", {
              size: i18n.bytes(knownLimits.maxBytes),
              duration: i18n.duration(knownLimits.maxSeconds),
            })}
          </p>
          {/* The native input stays focusable and labelled; the label is the visible button, in
              the page's language (the browser's own button follows the browser's language). */}
          <label htmlFor="video-file" className={busy ? "file-button disabled" : "file-button"}>
            {t("upload.choose")}
          </label>
          <span className="muted" aria-hidden="true">
            {chosen ? chosen.file.name : t("upload.none")}
          </span>
          <input
            ref={input}
            id="video-file"
            className="file-input"
            aria-labelledby="video-file-title"
            type="file"
            accept={ACCEPT_ATTRIBUTE}
            disabled={busy}
            aria-describedby={`video-file-hint${problems.length ? " video-file-problems" : ""}`}
            aria-invalid={problems.length > 0 ? true : undefined}
            onChange={(e) => choose(e.target.files?.[0])}
          />
          <p className="hint drop-hint" aria-hidden="true">
            {t("upload.drop")}
          </p>
        </div>
        {chosen && (
          <div className="chosen" aria-live="polite">
            <p>{t("upload.chosen", { size: i18n.bytes(chosen.file.size) })}</p>
            {!chosen.probing && chosen.duration !== null && (
              <p>{t("upload.duration", { duration: i18n.duration(chosen.duration) })}</p>
            )}
            {!chosen.probing && chosen.duration === null && problems.length === 0 && (
              <p className="muted">{t("upload.durationUnknown")}</p>
            )}
          </div>
        )}
        {problems.length > 0 && (
          // The alert role on a wrapper: on the list itself it would hide the list from readers.
          <div id="video-file-problems" role="alert">
            <ul className="problems">
              {problems.map((p) => (
                <li key={p.kind}>{problemSentence(i18n, p)}</li>
              ))}
            </ul>
          </div>
        )}
        <fieldset className="models" disabled={busy}>
          <legend>{t("upload.quality")}</legend>
          {(["heavy", "full", "lite"] as const).map((m) => (
            <label key={m} className="radio">
              <input type="radio" name="model" value={m} checked={model === m} onChange={() => setModel(m)} />
              {t(`upload.model.${m}`)}
            </label>
          ))}
        </fieldset>
        {routes && routes.length > 0 && (
          <div className="field">
            <label htmlFor="route">{t("upload.route")}</label>
            <p id="route-hint" className="hint">
              {t("upload.routeHint")}
            </p>
            <select
              id="route"
              name="route_id"
              aria-describedby="route-hint"
              disabled={busy}
              value={routeId}
              onChange={(e) => setRouteId(e.target.value)}
            >
              <option value="">{t("upload.noRoute")}</option>
              {routes.map((r) => (
                <option key={r.id} value={r.id}>
                  {t("upload.routeOption", { route: routeTitle(i18n, r), holds: r.holdCount })}
                </option>
              ))}
            </select>
          </div>
        )}
        {routes && routes.length === 0 && (
          <p className="hint">
            {t("upload.noRoutes")} <Link href="/routes">{t("upload.makeRoute")}</Link>
          </p>
        )}
        {phase.kind !== "idle" && (
          <div className="upload-progress">
            <p role="status">
              {phase.kind === "preparing" && t("upload.preparing")}
              {phase.kind === "sending" && t("upload.sending", { percent })}
              {phase.kind === "starting" && t("upload.starting")}
            </p>
            <progress
              max={100}
              value={phase.kind === "sending" ? percent : phase.kind === "starting" ? 100 : undefined}
              aria-label={t("upload.progressLabel")}
            />
          </div>
        )}
        <div className="actions">
          <button
            type="submit"
            className="primary"
            disabled={!chosen || chosen.probing || problems.length > 0 || busy || quotaUsedUp}
          >
            {t("upload.submit")}
          </button>
          {phase.kind === "sending" && (
            <button type="button" onClick={() => abort.current?.abort()}>
              {t("upload.cancel")}
            </button>
          )}
        </div>
      </form>
    </Page>
  );
}
