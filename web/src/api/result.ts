// Reads the analysis result document (GET /v1/analyses/{id}/result) into the values the result
// page draws: frames with their landmarks, angles and centre of mass, the video's metadata, the
// scores and the advice. Anything of the wrong type is left out, never trusted.
import { arr, isObject, num, str } from "./guards";

export interface Landmark {
  x: number;
  y: number;
  /** min(visibility, presence) when both are known; 1 when the result does not say. */
  confidence: number;
}

export interface ResultFrame {
  frame: number;
  timestampMs: number;
  poseDetected: boolean;
  /** Keyed by MediaPipe landmark index (0..32). */
  landmarks: Map<number, Landmark>;
  /** Degrees, keyed by the joint's landmark index: the measured ones, which the advice uses. */
  angles: Map<number, number>;
  /** Angles resting on a landmark too uncertain to measure: drawn greyed, never counted. */
  uncertainAngles: Map<number, number>;
  com?: { x: number; y: number };
  /** Centre-of-mass speed in body heights per second. */
  comSpeedBh?: number;
}

export interface Advice {
  id: string;
  kind: string;
  priority: number;
  timestampMs: number;
  title: string;
  points: string[];
}

export interface VideoInfo {
  fps?: number;
  width?: number;
  height?: number;
  durationMs?: number;
}

export interface AnalysisResult {
  frames: ResultFrame[];
  video: VideoInfo;
  model?: string;
  /**
   * `biomechanics.summary.scores`: the global score and the named indicators, 0-100; null when
   * the clip cannot measure one (an indicator the result lacks is absent).
   */
  scores: Record<string, number | null>;
  summary: Record<string, number>;
  advice: Advice[];
}

/** The global score first, then the named indicators (docs/coaching.md). */
export const SCORES = ["global", "technique", "fluidity", "stability", "efficiency", "pace"] as const;

/** Landmarks below this confidence are drawn faded and get no angle label (docs/coaching.md). */
export const MIN_CONFIDENCE = 0.5;

function readLandmarks(f: Record<string, unknown>): Map<number, Landmark> {
  const out = new Map<number, Landmark>();
  const all = f["landmarks33"];
  if (Array.isArray(all) && all.length === 33) {
    all.forEach((row, i) => {
      if (!Array.isArray(row)) return;
      const [x, y, , vis, pres] = row.map(num);
      if (x === undefined || y === undefined) return;
      out.set(i, { x, y, confidence: Math.min(vis ?? 1, pres ?? 1) });
    });
    if (out.size > 0) return out;
  }
  const named = f["landmarks"];
  if (isObject(named)) {
    for (const [key, value] of Object.entries(named)) {
      const index = Number(key);
      if (!Number.isInteger(index) || index < 0 || index > 32 || !isObject(value)) continue;
      const x = num(value["x"]);
      const y = num(value["y"]);
      if (x === undefined || y === undefined) continue;
      const vis = num(value["vis"]) ?? num(value["visibility"]);
      const pres = num(value["pres"]) ?? num(value["presence"]);
      out.set(index, { x, y, confidence: Math.min(vis ?? 1, pres ?? 1) });
    }
  }
  return out;
}

function readFrame(v: unknown): ResultFrame | null {
  if (!isObject(v)) return null;
  const frame = num(v["frame"]);
  const timestampMs = num(v["timestamp_ms"]);
  if (frame === undefined || timestampMs === undefined) return null;
  const readAngles = (a: unknown) => {
    const out = new Map<number, number>();
    if (isObject(a)) {
      for (const [key, value] of Object.entries(a)) {
        const deg = num(value);
        if (deg !== undefined && Number.isInteger(Number(key))) out.set(Number(key), deg);
      }
    }
    return out;
  };
  const angles = readAngles(v["angles"]);
  const uncertainAngles = readAngles(v["uncertain_angles"]);
  const landmarks = readLandmarks(v);
  // Landmarks the result names as too uncertain to measure are drawn as such, whatever the
  // visibility and presence numbers say.
  for (const key of arr(v["uncertain"])) {
    const index = Number(key);
    const l = landmarks.get(index);
    if (l) landmarks.set(index, { ...l, confidence: Math.min(l.confidence, MIN_CONFIDENCE / 2) });
  }
  const out: ResultFrame = {
    frame,
    timestampMs,
    poseDetected: v["pose_detected"] === true,
    landmarks,
    angles,
    uncertainAngles,
  };
  const com = v["com"];
  if (isObject(com)) {
    const x = num(com["x"]);
    const y = num(com["y"]);
    if (x !== undefined && y !== undefined) out.com = { x, y };
  }
  const speed = num(v["com_speed_bh"]);
  if (speed !== undefined) out.comSpeedBh = speed;
  return out;
}

function readAdvice(v: unknown): Advice | null {
  if (!isObject(v)) return null;
  const id = str(v["id"]);
  const title = str(v["title"]);
  const timestampMs = num(v["timestamp_ms"]);
  if (id === undefined || title === undefined || timestampMs === undefined) return null;
  return {
    id,
    kind: str(v["kind"]) ?? "tip",
    priority: num(v["priority"]) ?? 0,
    timestampMs,
    title,
    points: arr(v["points"]).filter((p): p is string => typeof p === "string"),
  };
}

export function parseResult(doc: unknown): AnalysisResult {
  const d = isObject(doc) ? doc : {};
  const frames = arr(d["frames"])
    .map(readFrame)
    .filter((f): f is ResultFrame => f !== null);
  const video: VideoInfo = {};
  const vd = d["video"];
  if (isObject(vd)) {
    const fps = num(vd["fps"]);
    const width = num(vd["width"]);
    const height = num(vd["height"]);
    const durationMs = num(vd["duration_ms"]);
    if (fps !== undefined) video.fps = fps;
    if (width !== undefined) video.width = width;
    if (height !== undefined) video.height = height;
    if (durationMs !== undefined) video.durationMs = durationMs;
  }
  const summary: Record<string, number> = {};
  const scores: AnalysisResult["scores"] = {};
  const bio = d["biomechanics"];
  if (isObject(bio) && isObject(bio["summary"])) {
    const s = bio["summary"];
    for (const [key, value] of Object.entries(s)) {
      const n = num(value);
      if (n !== undefined) summary[key] = n;
    }
    const sc = s["scores"];
    if (isObject(sc)) {
      for (const [key, value] of Object.entries(sc)) {
        if (value === null) scores[key] = null;
        else if (num(value) !== undefined) scores[key] = num(value)!;
      }
    }
  }
  const advice = arr(d["advice"])
    .map(readAdvice)
    .filter((a): a is Advice => a !== null)
    .sort((a, b) => a.priority - b.priority);
  const out: AnalysisResult = { frames, video, scores, summary, advice };
  const model = str(d["model"]);
  if (model !== undefined) out.model = model;
  return out;
}
