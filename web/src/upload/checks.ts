// The checks made in the browser before a video is sent: a video type the API accepts, not
// empty, within the size limit, and (when the browser can read it) within the duration limit.
// The API and the worker check again; these only spare the climber a long wait for a "no".

export interface Limits {
  maxBytes: number;
  maxSeconds: number;
}

/** The server's defaults (MAX_VIDEO_BYTES, MAX_VIDEO_SECONDS) until it tells its own. */
export const DEFAULT_LIMITS: Limits = { maxBytes: 500 * 1024 * 1024, maxSeconds: 600 };

export const ACCEPTED_EXTENSIONS = [".mp4", ".m4v", ".mov", ".webm", ".avi"] as const;
export const ACCEPT_ATTRIBUTE = [
  ...ACCEPTED_EXTENSIONS,
  "video/mp4",
  "video/quicktime",
  "video/webm",
  "video/x-msvideo",
].join(",");

export type Problem =
  | { kind: "not_video" }
  | { kind: "empty" }
  | { kind: "too_large"; bytes: number; maxBytes: number }
  | { kind: "too_long"; seconds: number; maxSeconds: number }
  | { kind: "too_short"; seconds: number };

export interface FileFacts {
  name: string;
  type: string;
  size: number;
  /** Seconds, or null when the browser could not read it. */
  duration: number | null;
}

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot < 0 ? "" : name.slice(dot).toLowerCase();
}

/** Every problem of the file, most fundamental first; empty when it may be sent. */
export function checkVideo(f: FileFacts, limits: Limits): Problem[] {
  const ext = extensionOf(f.name);
  const knownExtension = (ACCEPTED_EXTENSIONS as readonly string[]).includes(ext);
  const videoType = f.type.startsWith("video/");
  // A known extension with an empty type is fine (some systems give no type); a known
  // extension with a non-video type (a renamed text file) is not.
  if (!(knownExtension && (f.type === "" || videoType)) && !(videoType && ext === "")) {
    return [{ kind: "not_video" }];
  }
  if (f.size <= 0) return [{ kind: "empty" }];
  const problems: Problem[] = [];
  if (f.size > limits.maxBytes) problems.push({ kind: "too_large", bytes: f.size, maxBytes: limits.maxBytes });
  if (f.duration !== null && Number.isFinite(f.duration)) {
    if (f.duration > limits.maxSeconds) {
      problems.push({ kind: "too_long", seconds: f.duration, maxSeconds: limits.maxSeconds });
    } else if (f.duration < 1) {
      problems.push({ kind: "too_short", seconds: f.duration });
    }
  }
  return problems;
}

/** The file name sent to the API: its extension picks the stored content type. */
export function uploadName(name: string): string {
  const clean = name.replace(/[\u0000-\u001f\u007f]/g, "").trim();
  const base = clean.length > 0 ? clean : "video.mp4";
  return base.length <= 255 ? base : base.slice(0, 240) + extensionOf(base).slice(0, 15);
}
