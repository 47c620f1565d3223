// One analysis: live progress while it runs, then the result (video with the skeleton, advice
// whose timecodes seek the video, charts and scores), or the reason it failed.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Link, useLocation } from "wouter";
import { ApiError } from "../api/client";
import { codeSentence, errorSentence } from "../api/errors";
import { readAnalysisGhost, type AnalysisGhost } from "../api/ghost";
import { watchAnalysis, socketUrl, POLL_INTERVAL_MS, type ProgressState } from "../api/progress";
import { SCORES, parseResult, type AnalysisResult } from "../api/result";
import type { AnalysisSummary, VideoDetail } from "../api/types";
import { LineChart } from "../charts/LineChart";
import { PathChart } from "../charts/PathChart";
import { ScoreBars } from "../charts/ScoreBars";
import { Notice, Page } from "../app/Page";
import { useSession } from "../app/session";
import { useI18n } from "../i18n/I18n";
import type { MessageKey } from "../i18n/translate";
import { ALL_LAYERS, ANGLE_JOINTS, type Layers } from "../overlay/skeleton";
import { FrameTimeline, formatTimecode, splitTimecodes, type TextPart } from "../overlay/timeline";
import { VideoOverlay, type VideoOverlayHandle } from "../overlay/VideoOverlay";
import { GhostComparison, loadGhost, type GhostLoad } from "./AnalysisGhost";

/** A point's leading timecode is dropped when it is the advice's own moment (its button shows it). */
function withoutMoment(parts: TextPart[], momentMs: number): TextPart[] {
  const first = parts[0];
  if (first && "timestampMs" in first && Math.abs(first.timestampMs - momentMs) < 50) {
    const rest = parts.slice(1);
    const next = rest[0];
    if (next && "text" in next) rest[0] = { text: next.text.replace(/^\s+/, "") };
    return rest;
  }
  return parts;
}

const KINDS = ["improvement", "tip", "strength", "drill"];
const LAYER_NAMES = ["skeleton", "angles", "com", "trail"] as const;
const STAGES = ["pending", "downloading", "pose_estimation", "generating_hints", "completed", "failed"];

function stageKey(stage: string): MessageKey {
  return (STAGES.includes(stage) ? `progress.stage.${stage}` : "progress.stage.unknown") as MessageKey;
}

export function AnalysisPage({ id }: { id: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { api } = useSession();
  const [state, setState] = useState<ProgressState | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setState(null);
    setError(null);
    const stop = watchAnalysis({
      analysisId: id,
      fetchAnalysis: async () => {
        try {
          return await api.request<AnalysisSummary>("GET", `/v1/analyses/${encodeURIComponent(id)}`);
        } catch (e) {
          if (e instanceof ApiError && e.status === 404) setError(errorSentence(i18n, e));
          throw e;
        }
      },
      openSocket: () => new WebSocket(socketUrl(window.location)),
      onChange: setState,
    });
    return stop;
    // i18n changes must not restart the watch
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, id]);

  if (error) {
    return (
      <Page title={t("result.title")}>
        <Notice kind="error">{error}</Notice>
        <p>
          <Link href="/history">{t("nav.history")}</Link>
        </p>
      </Page>
    );
  }
  if (!state) return <p className="loading">{t("app.loading")}</p>;
  if (state.status === "completed") return <ResultView id={id} />;
  if (state.status === "failed") {
    return (
      <Page title={t("progress.failedTitle")}>
        <Notice kind="error">{codeSentence(i18n, state.errorCode ?? "analysis_failed")}</Notice>
        <p>
          <Link href="/upload">{t("progress.retry")}</Link>
        </p>
      </Page>
    );
  }
  const percent = Math.max(0, Math.min(100, Math.round(state.progress)));
  return (
    <Page title={t("progress.title")}>
      <section className="card progress-card">
        <p className="stage" aria-live="polite">
          {t(stageKey(state.stage || state.status))}
        </p>
        <div className="progress-row">
          <progress max={100} value={percent} aria-label={t("progress.label")} aria-valuetext={`${percent} %`} />
          <span className="percent">{t("progress.percent", { percent })}</span>
        </div>
        <ol className="stages">
          {["pending", "downloading", "pose_estimation", "generating_hints"].map((s) => {
            const order = STAGES.indexOf(state.stage);
            const mine = STAGES.indexOf(s);
            const cls = mine < order ? "done" : mine === order ? "current" : "todo";
            return (
              <li key={s} className={cls} aria-current={cls === "current" ? "step" : undefined}>
                {t(stageKey(s))}
              </li>
            );
          })}
        </ol>
        <p className={state.live ? "connection live" : "connection"} role="status">
          {state.live ? t("progress.live") : t("progress.polling", { seconds: POLL_INTERVAL_MS / 1000 })}
        </p>
      </section>
    </Page>
  );
}

interface Loaded {
  analysis: AnalysisSummary;
  result: AnalysisResult;
  video: VideoDetail | null;
  /** The comparison with the route's ghost (premium, an analysis on a route), when present. */
  ghost: AnalysisGhost | null;
}

function ResultView({ id }: { id: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { api } = useSession();
  const [, navigate] = useLocation();
  const [data, setData] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [layers, setLayers] = useState<Layers>(ALL_LAYERS);
  const [current, setCurrent] = useState<{ index: number | null; positionMs: number }>({ index: null, positionMs: 0 });
  const [videoBroken, setVideoBroken] = useState(false);
  const [ghostLoad, setGhostLoad] = useState<GhostLoad>({ kind: "loading" });
  const player = useRef<VideoOverlayHandle>(null);
  const videoBox = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let live = true;
    (async () => {
      try {
        const analysis = await api.request<AnalysisSummary>("GET", `/v1/analyses/${encodeURIComponent(id)}`);
        const [doc, video] = await Promise.all([
          api.request<unknown>("GET", `/v1/analyses/${encodeURIComponent(id)}/result`),
          api.request<VideoDetail>("GET", `/v1/videos/${encodeURIComponent(analysis.video_id)}`).catch(() => null),
        ]);
        const ghost = readAnalysisGhost(doc);
        if (live) setData({ analysis, result: parseResult(doc), video, ghost });
        if (ghost?.status === "compared") {
          const loaded = await loadGhost(api, i18n, ghost);
          if (live) setGhostLoad(loaded);
        }
      } catch (e) {
        if (live) setError(errorSentence(i18n, e));
      }
    })();
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, id]);

  const timeline = useMemo(
    () => new FrameTimeline(data?.result.frames.map((f) => f.timestampMs) ?? [], data?.result.video.fps),
    [data],
  );
  const onFrame = useCallback((index: number | null, positionMs: number) => setCurrent({ index, positionMs }), []);

  const seek = (ms: number) => {
    player.current?.seekTo(ms);
    const still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    videoBox.current?.scrollIntoView({ block: "nearest", behavior: still ? "auto" : "smooth" });
  };

  if (error) {
    return (
      <Page title={t("result.title")}>
        <Notice kind="error">{error}</Notice>
      </Page>
    );
  }
  if (!data) return <p className="loading">{t("app.loading")}</p>;
  const { analysis, result, video, ghost } = data;
  const ghostFrames = ghostLoad.kind === "drawn" ? ghostLoad.ghost : null;
  const layerNames = ghostFrames ? (["skeleton", "angles", "com", "trail", "ghost"] as const) : LAYER_NAMES;
  const frame = current.index === null ? null : (result.frames[current.index] ?? null);
  const aspect = (result.video.width ?? 9) / (result.video.height ?? 16);
  const comPoints = result.frames.filter((f) => f.com).map((f) => f.com!);
  const speed = result.frames
    .filter((f) => f.comSpeedBh !== undefined)
    .map((f) => ({ x: f.timestampMs / 1000, y: f.comSpeedBh! }));
  const s = result.summary;
  const n = (v: number | undefined, d = 2) => (v === undefined ? "—" : i18n.number(v, d));
  const scoreRows = SCORES.filter((k) => k in result.scores).map((k) => {
    const v = result.scores[k];
    return {
      label: t(`result.score.${k}`),
      value: v,
      text:
        v === null || v === undefined
          ? t("result.notMeasurable")
          : t("result.scoreValue", { value: i18n.number(v, 1) }),
    };
  });
  const hasScores = scoreRows.some((r) => typeof r.value === "number");
  const pathText = t("result.comPathDesc", {
    path: n(s["com_path_bh"]),
    direct: n(s["com_displacement_bh"]),
    directness: s["directness"] === undefined ? "—" : i18n.number(s["directness"] * 100, 0),
  });
  const speedText = t("result.speedDesc", { mean: n(s["mean_com_speed_bh"]), max: n(s["max_com_speed_bh"]) });
  const detected = result.frames.filter((f) => f.poseDetected).length;

  const toggle = (k: keyof Layers) => setLayers((l) => ({ ...l, [k]: !l[k] }));

  return (
    <Page title={t("result.title")} wide>
      <p className="muted">
        {analysis.completed_at ? t("result.analysedOn", { date: i18n.date(analysis.completed_at) }) : null}
        {" · "}
        {t("result.frames", { detected, total: result.frames.length })}
        {result.model ? ` · ${t("result.model", { model: i18n.model(result.model) })}` : ""}
      </p>
      {/* The page reads in the order a climber wants it on a phone: the video, the advice, the
          scores and charts, then the numbers of the frame shown. Wider screens put the numbers
          under the video and the rest beside it (grid areas in styles.css). */}
      <div className="result-layout">
        <section className="card video-card" aria-labelledby="video-title">
          <h2 id="video-title">{t("result.video")}</h2>
          <div ref={videoBox}>
            {video?.playback_url && !videoBroken ? (
              <VideoOverlay
                ref={player}
                src={video.playback_url}
                result={result}
                timeline={timeline}
                layers={layers}
                ghost={ghostFrames}
                label={t("result.video")}
                canvasLabel={t(ghostFrames ? "result.canvasLabelGhost" : "result.canvasLabel")}
                onFrame={onFrame}
                onError={() => setVideoBroken(true)}
              />
            ) : (
              <Notice kind="info">{t("result.videoUnavailable")}</Notice>
            )}
          </div>
          <fieldset className="layers">
            <legend>{t("result.layers")}</legend>
            {layerNames.map((k) => (
              <label key={k} className="checkbox">
                <input type="checkbox" name={`layer-${k}`} checked={layers[k]} onChange={() => toggle(k)} />
                {t(`result.layer.${k}`)}
              </label>
            ))}
          </fieldset>
        </section>

        <div className="result-side">
          <section className="card advice-card" aria-labelledby="advice-title">
            <h2 id="advice-title">{t("result.advice")}</h2>
            {result.advice.length === 0 ? (
              <p className="muted">{t("result.noAdvice")}</p>
            ) : (
              <ol className="advice">
                {result.advice.map((a) => (
                  <li key={a.id} className={`advice-${a.kind}`}>
                    <div className="advice-head">
                      <span className="badge">
                        {KINDS.includes(a.kind) ? t(`result.kind.${a.kind}` as MessageKey) : a.kind}
                      </span>
                      <h3>{a.title}</h3>
                    </div>
                    <button
                      type="button"
                      className="timecode"
                      data-timestamp-ms={a.timestampMs}
                      onClick={() => seek(a.timestampMs)}
                      aria-label={t("result.seek", { time: formatTimecode(a.timestampMs) })}
                    >
                      ▶ {formatTimecode(a.timestampMs)}
                    </button>
                    <ul>
                      {a.points.map((p, i) => (
                        <li key={i}>
                          {withoutMoment(splitTimecodes(p), a.timestampMs).map((part, j) =>
                            "text" in part ? (
                              <span key={j}>{part.text}</span>
                            ) : (
                              <button
                                key={j}
                                type="button"
                                className="inline-timecode"
                                onClick={() => seek(part.timestampMs)}
                                aria-label={t("result.seek", { time: part.label })}
                              >
                                {part.label}
                              </button>
                            ),
                          )}
                        </li>
                      ))}
                    </ul>
                  </li>
                ))}
              </ol>
            )}
          </section>

          {ghost && <GhostComparison i18n={i18n} section={ghost} load={ghostLoad} onSeek={seek} />}

          <div className="pair">
            <section className="card scores-card" aria-labelledby="scores-title">
              <h2 id="scores-title">{t("result.scores")}</h2>
              {hasScores ? <ScoreBars scores={scoreRows} /> : <p className="muted">{t("result.noScores")}</p>}
            </section>

            <section className="card chart-card" aria-labelledby="path-title">
              <h2 id="path-title">{t("result.comPath")}</h2>
              {comPoints.length > 1 ? (
                <>
                  <PathChart
                    points={comPoints}
                    current={frame?.com ?? null}
                    aspect={aspect}
                    title={t("result.comPath")}
                    description={pathText}
                  />
                  <p className="chart-text">{pathText}</p>
                </>
              ) : (
                <p className="muted">{t("result.noChart")}</p>
              )}
            </section>
          </div>
          <section className="card chart-card" aria-labelledby="speed-title">
            <h2 id="speed-title">{t("result.speed")}</h2>
            {speed.length > 1 ? (
              <>
                <LineChart
                  points={speed}
                  title={t("result.speed")}
                  description={speedText}
                  xLabel={t("chart.time")}
                  yLabel={t("result.speedAxis")}
                  cursorX={current.positionMs / 1000}
                  onPick={(x) => seek(x * 1000)}
                  formatX={(v) => i18n.number(v, 0)}
                  formatY={(v) => i18n.number(v, 1)}
                />
                <p className="chart-text">
                  {speedText} {t("chart.pick")}
                </p>
              </>
            ) : (
              <p className="muted">{t("result.noChart")}</p>
            )}
          </section>
        </div>
        <section className="card now-card" aria-labelledby="now-title">
          <h2 id="now-title">{t("result.now", { time: formatTimecode(current.positionMs) })}</h2>
          {frame && frame.poseDetected ? (
            <table className="numbers">
              <thead>
                <tr>
                  <th scope="col">{t("result.joint")}</th>
                  <th scope="col">{t("result.angle")}</th>
                </tr>
              </thead>
              <tbody>
                {ANGLE_JOINTS.filter((j) => frame.angles.has(j) || frame.uncertainAngles.has(j)).map((j) =>
                  frame.angles.has(j) ? (
                    <tr key={j}>
                      <th scope="row">{t(`joint.${j}` as MessageKey)}</th>
                      <td>{Math.round(frame.angles.get(j)!)}°</td>
                    </tr>
                  ) : (
                    <tr key={j} className="uncertain">
                      <th scope="row">{t(`joint.${j}` as MessageKey)}</th>
                      <td>{t("result.uncertainAngle", { angle: Math.round(frame.uncertainAngles.get(j)!) })}</td>
                    </tr>
                  ),
                )}
                {frame.comSpeedBh !== undefined && (
                  <tr>
                    <th scope="row">{t("result.speed")}</th>
                    <td>
                      {i18n.number(frame.comSpeedBh, 2)} {t("result.speedAxis")}
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          ) : (
            <p className="muted">{t("result.noPose")}</p>
          )}
        </section>
      </div>
      <p>
        <button
          type="button"
          className="danger"
          onClick={async () => {
            if (!window.confirm(t("result.deleteConfirm"))) return;
            try {
              await api.request("DELETE", `/v1/analyses/${encodeURIComponent(id)}`);
              navigate("/history");
            } catch (e) {
              setError(errorSentence(i18n, e));
            }
          }}
        >
          {t("result.delete")}
        </button>
      </p>
    </Page>
  );
}
