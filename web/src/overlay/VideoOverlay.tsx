// The climber's video with the analysed skeleton drawn on a canvas over it, in step with
// playback: requestVideoFrameCallback gives the presentation time of every frame shown (frame
// accurate); where it is missing, a requestAnimationFrame loop reads currentTime. The canvas
// carries data-frame (the result frame drawn) for tests and tools. With a route's ghost, the
// ghost's frame at the video's time (through the comparison's time alignment) is drawn under the
// climber's skeleton; data-ghost-position says which ghost time.
import { forwardRef, useCallback, useEffect, useImperativeHandle, useMemo, useRef } from "react";
import { frameAt, ghostTimeAt } from "../api/ghost";
import type { AnalysisResult, ResultFrame } from "../api/result";
import { drawOverlay, type Layers } from "./skeleton";
import { FrameTimeline } from "./timeline";

export interface VideoOverlayHandle {
  /** Shows the frame stamped `timestampMs` (seeks the video). */
  seekTo: (timestampMs: number) => void;
}

interface Props {
  src: string;
  result: AnalysisResult;
  timeline: FrameTimeline;
  layers: Layers;
  /** A route's ghost: its frames and the sync pairs [video ms, ghost ms] of the comparison. */
  ghost?: { frames: readonly ResultFrame[]; sync: readonly (readonly [number, number])[] } | null;
  label: string;
  canvasLabel: string;
  /** Called when the frame on screen changes (index into result.frames, or null). */
  onFrame: (index: number | null, positionMs: number) => void;
  onError: () => void;
}

type FrameCallbackVideo = HTMLVideoElement & {
  requestVideoFrameCallback?: (cb: (now: number, meta: { mediaTime: number }) => void) => number;
  cancelVideoFrameCallback?: (handle: number) => void;
};

export const VideoOverlay = forwardRef<VideoOverlayHandle, Props>(function VideoOverlay(props, ref) {
  const { src, result, timeline, layers, ghost, label, canvasLabel, onFrame, onError } = props;
  const videoRef = useRef<FrameCallbackVideo>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const lastIndex = useRef<number | null | undefined>(undefined);
  const layersRef = useRef(layers);
  layersRef.current = layers;
  const ghostRef = useRef(ghost);
  ghostRef.current = ghost;
  const onFrameRef = useRef(onFrame);
  onFrameRef.current = onFrame;

  // Centre-of-mass positions in frame order, and for each frame how many of them precede it.
  const trail = useMemo(() => {
    const points: { x: number; y: number }[] = [];
    const upTo: number[] = [];
    const order = result.frames.map((f, i) => [f.timestampMs, i] as const).sort((a, b) => a[0] - b[0]);
    const count = new Array<number>(result.frames.length).fill(0);
    for (const [, i] of order) {
      const c = result.frames[i]!.com;
      if (c) points.push(c);
      count[i] = points.length;
    }
    upTo.push(...count);
    return { points, upTo };
  }, [result]);

  const draw = useCallback(
    (index: number | null, positionMs: number) => {
      const canvas = canvasRef.current;
      const ctx = canvas?.getContext("2d");
      if (!canvas || !ctx) return;
      const frame = index === null ? null : (result.frames[index] ?? null);
      const g = ghostRef.current;
      const ghostMs = g ? ghostTimeAt(g.sync, positionMs) : null;
      const ghostFrame = g && ghostMs !== null ? frameAt(g.frames, ghostMs) : null;
      drawOverlay(ctx, {
        frame,
        ghost: ghostFrame,
        trail: index === null ? [] : trail.points.slice(0, trail.upTo[index] ?? 0),
        layers: layersRef.current,
        width: canvas.width,
        height: canvas.height,
        scale: canvas.width / Math.max(1, canvas.clientWidth),
      });
      canvas.dataset["frame"] = index === null ? "" : String(index);
      canvas.dataset["position"] = String(Math.round(positionMs));
      canvas.dataset["ghostPosition"] = ghostFrame ? String(ghostFrame.timestampMs) : "";
      if (index !== lastIndex.current) {
        lastIndex.current = index;
        onFrameRef.current(index, positionMs);
      }
    },
    [result, trail],
  );

  const drawAtPosition = useCallback(() => {
    const v = videoRef.current;
    if (!v) return;
    const ms = v.currentTime * 1000;
    draw(timeline.frameAtPosition(ms), ms);
  }, [draw, timeline]);

  // Frame-accurate loop, or the requestAnimationFrame fallback.
  useEffect(() => {
    const v = videoRef.current;
    if (!v) return;
    let handle = 0;
    let raf = 0;
    let live = true;
    if (typeof v.requestVideoFrameCallback === "function") {
      const onVideoFrame = (_now: number, meta: { mediaTime: number }) => {
        if (!live) return;
        const ms = meta.mediaTime * 1000;
        draw(timeline.frameAtPresentation(ms) ?? timeline.frameAtPosition(ms), ms);
        handle = v.requestVideoFrameCallback!(onVideoFrame);
      };
      handle = v.requestVideoFrameCallback(onVideoFrame);
    } else {
      const loop = () => {
        if (!live) return;
        if (!v.paused) drawAtPosition();
        raf = requestAnimationFrame(loop);
      };
      raf = requestAnimationFrame(loop);
    }
    const events = ["seeked", "loadeddata", "pause"] as const;
    for (const e of events) v.addEventListener(e, drawAtPosition);
    return () => {
      live = false;
      if (handle && v.cancelVideoFrameCallback) v.cancelVideoFrameCallback(handle);
      if (raf) cancelAnimationFrame(raf);
      for (const e of events) v.removeEventListener(e, drawAtPosition);
    };
  }, [draw, drawAtPosition, timeline]);

  // The canvas backing store follows the displayed size (sharp on high-DPI screens).
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const fit = () => {
      const dpr = window.devicePixelRatio || 1;
      canvas.width = Math.max(1, Math.round(canvas.clientWidth * dpr));
      canvas.height = Math.max(1, Math.round(canvas.clientHeight * dpr));
      drawAtPosition();
    };
    fit();
    const ro = new ResizeObserver(fit);
    ro.observe(canvas);
    return () => ro.disconnect();
  }, [drawAtPosition]);

  // A layer switched on or off (or the ghost arriving) is redrawn at once, even while paused.
  useEffect(() => {
    drawAtPosition();
  }, [layers, ghost, drawAtPosition]);

  useImperativeHandle(
    ref,
    () => ({
      seekTo: (timestampMs: number) => {
        const v = videoRef.current;
        if (!v) return;
        v.currentTime = timeline.seekTimeFor(timestampMs);
      },
    }),
    [timeline],
  );

  const w = result.video.width ?? 16;
  const h = result.video.height ?? 9;
  // The box has the video's own proportions (so the canvas covers the picture exactly), as wide
  // as the column allows and at most 75 % of the window's height.
  return (
    <div className="overlay" style={{ aspectRatio: `${w} / ${h}`, ["--ar" as string]: String(w / h) }}>
      <video
        ref={videoRef}
        src={src}
        controls
        playsInline
        muted
        preload="auto"
        aria-label={label}
        onError={onError}
        onLoadedMetadata={(e) => {
          const v = e.currentTarget;
          if (v.videoWidth > 0 && v.videoHeight > 0) {
            v.parentElement!.style.aspectRatio = `${v.videoWidth} / ${v.videoHeight}`;
            v.parentElement!.style.setProperty("--ar", String(v.videoWidth / v.videoHeight));
          }
        }}
      />
      <canvas ref={canvasRef} className="overlay-canvas" role="img" aria-label={canvasLabel} data-frame="" />
    </div>
  );
});
