// The climber's routes: a new route from a photo of the wall (checked here, sent straight to
// storage with the presigned PUT, then detected), and the list of the routes made so far.
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Link, useLocation } from "wouter";
import { errorSentence } from "../api/errors";
import {
  PHOTO_ACCEPT,
  PHOTO_MAX_BYTES,
  checkPhoto,
  photoUploadName,
  readRouteList,
  type PhotoProblem,
  type RouteSummary,
} from "../api/routes";
import { Notice, Page } from "../app/Page";
import { useSession } from "../app/session";
import { useI18n, type I18n } from "../i18n/I18n";
import { sendToStorage, type PresignedTarget } from "../upload/put";

type Phase = { kind: "idle" } | { kind: "preparing" } | { kind: "sending"; fraction: number } | { kind: "starting" };

interface RouteUploadUrl extends PresignedTarget {
  route_id: string;
  max_bytes?: number;
}

let knownMaxBytes = PHOTO_MAX_BYTES;

function photoProblemSentence(i18n: I18n, p: PhotoProblem): string {
  switch (p) {
    case "heic":
      return i18n.t("error.heic_unsupported");
    case "not_photo":
      return i18n.t("routes.check.notPhoto");
    case "empty":
      return i18n.t("error.empty_file");
    case "too_large":
      return i18n.t("routes.check.tooLarge", { max: i18n.bytes(knownMaxBytes) });
  }
}

export function routeTitle(i18n: I18n, r: RouteSummary): string {
  return r.name ?? i18n.t("routes.untitled", { date: r.createdAt ? i18n.date(r.createdAt) : "—" });
}

export function RoutesPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const { api } = useSession();
  const [, navigate] = useLocation();
  const [file, setFile] = useState<File | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const [error, setError] = useState<string | null>(null);
  const [routes, setRoutes] = useState<RouteSummary[] | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);

  useEffect(() => {
    let live = true;
    api
      .request<unknown>("GET", "/v1/routes?per_page=50")
      .then((d) => live && setRoutes(readRouteList(d).items))
      .catch((e) => live && setListError(errorSentence(i18n, e)));
    return () => {
      live = false;
      abort.current?.abort();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api]);

  const problem = file ? checkPhoto(file, knownMaxBytes) : null;
  const busy = phase.kind !== "idle";

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file || problem || busy) return;
    setError(null);
    const controller = new AbortController();
    abort.current = controller;
    let routeId: string | null = null;
    try {
      setPhase({ kind: "preparing" });
      const target = await api.request<RouteUploadUrl>("POST", "/v1/routes/upload-url", {
        body: { filename: photoUploadName(file) },
        signal: controller.signal,
      });
      routeId = target.route_id;
      if (typeof target.max_bytes === "number") knownMaxBytes = target.max_bytes;
      if (file.size > knownMaxBytes) {
        void api.request("DELETE", `/v1/routes/${routeId}`).catch(() => {});
        setPhase({ kind: "idle" });
        setError(photoProblemSentence(i18n, "too_large"));
        return;
      }
      setPhase({ kind: "sending", fraction: 0 });
      const sent = routeId;
      await sendToStorage(target, file, {
        onProgress: (fraction) => setPhase({ kind: "sending", fraction }),
        signal: controller.signal,
        failureCode: "photo_upload_failed",
        cleanup: () => void api.request("DELETE", `/v1/routes/${sent}`).catch(() => {}),
      });
      setPhase({ kind: "starting" });
      await api.request("POST", `/v1/routes/${routeId}/detect`, { body: {} });
      navigate(`/routes/${routeId}`);
    } catch (err) {
      setPhase({ kind: "idle" });
      if (err instanceof DOMException && err.name === "AbortError") return;
      setError(errorSentence(i18n, err));
    }
  };

  const percent = phase.kind === "sending" ? Math.round(phase.fraction * 100) : 0;
  return (
    <Page title={t("routes.title")}>
      <p className="lead">{t("routes.intro")}</p>
      <form className="card form" onSubmit={submit} noValidate aria-labelledby="new-route-title">
        <h2 id="new-route-title">{t("routes.new")}</h2>
        {error && <Notice kind="error">{error}</Notice>}
        <div className="field">
          <span className="field-title" id="photo-file-title">
            {t("routes.photo")}
          </span>
          <p id="photo-file-hint" className="hint">
            {t("routes.photoHint", { size: i18n.bytes(knownMaxBytes) })}
          </p>
          <label htmlFor="photo-file" className={busy ? "file-button disabled" : "file-button"}>
            {t("routes.choose")}
          </label>
          <span className="muted" aria-hidden="true">
            {file ? file.name : t("routes.none")}
          </span>
          <input
            id="photo-file"
            className="file-input"
            type="file"
            accept={PHOTO_ACCEPT}
            capture="environment"
            aria-labelledby="photo-file-title"
            aria-describedby={`photo-file-hint${problem ? " photo-file-problem" : ""}`}
            aria-invalid={problem ? true : undefined}
            disabled={busy}
            onChange={(e) => {
              setError(null);
              setFile(e.target.files?.[0] ?? null);
            }}
          />
        </div>
        {problem && (
          <div id="photo-file-problem" role="alert">
            <p className="field-error">{photoProblemSentence(i18n, problem)}</p>
          </div>
        )}
        {busy && (
          <div className="upload-progress">
            <p role="status">
              {phase.kind === "preparing" && t("upload.preparing")}
              {phase.kind === "sending" && t("routes.sending", { percent })}
              {phase.kind === "starting" && t("routes.starting")}
            </p>
            <progress
              max={100}
              value={phase.kind === "sending" ? percent : phase.kind === "starting" ? 100 : undefined}
              aria-label={t("routes.progressLabel")}
            />
          </div>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={!file || problem !== null || busy}>
            {t("routes.submit")}
          </button>
          {phase.kind === "sending" && (
            <button type="button" onClick={() => abort.current?.abort()}>
              {t("upload.cancel")}
            </button>
          )}
        </div>
      </form>

      <section className="card" aria-labelledby="my-routes-title">
        <h2 id="my-routes-title">{t("routes.mine")}</h2>
        {listError && <Notice kind="error">{listError}</Notice>}
        {!routes && !listError && <p className="loading">{t("app.loading")}</p>}
        {routes && routes.length === 0 && <p>{t("routes.empty")}</p>}
        {routes && routes.length > 0 && (
          <ul className="route-list">
            {routes.map((r) => (
              <li key={r.id} data-route-id={r.id}>
                <Link href={`/routes/${r.id}`}>{routeTitle(i18n, r)}</Link>
                <span className={`status status-route-${r.status}`}>{t(`routes.status.${r.status}`)}</span>
                {r.grade && <span className="muted">{r.grade}</span>}
                {r.status === "ready" && <span className="muted">{t("routes.holdCount", { count: r.holdCount })}</span>}
              </li>
            ))}
          </ul>
        )}
      </section>
    </Page>
  );
}
