// Which analysed frame is on screen at a given moment of the video, and where to seek to show
// a given frame. The result's `timestamp_ms` are presentation times rounded to the millisecond;
// the browser reports either the exact presentation time of the frame it just showed
// (requestVideoFrameCallback's `mediaTime`) or the playback position (`currentTime`), which
// lies anywhere inside the frame's display period.

/** Largest rounding error of a stored timestamp (whole milliseconds, rounded or truncated). */
const ROUNDING_MS = 0.5;

export class FrameTimeline {
  /** Timestamps in ascending order, and for each the index of its frame in the input. */
  private readonly times: number[];
  private readonly order: number[];
  /** Typical time between two analysed frames (median gap), in ms. */
  readonly intervalMs: number;

  constructor(timestampsMs: readonly number[], fps?: number) {
    const pairs = timestampsMs
      .map((t, i) => [t, i] as const)
      .filter(([t]) => Number.isFinite(t))
      .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    this.times = pairs.map(([t]) => t);
    this.order = pairs.map(([, i]) => i);
    const gaps: number[] = [];
    for (let i = 1; i < this.times.length; i++) {
      const gap = this.times[i]! - this.times[i - 1]!;
      if (gap > 0) gaps.push(gap);
    }
    gaps.sort((a, b) => a - b);
    const median = gaps.length > 0 ? gaps[Math.floor(gaps.length / 2)]! : undefined;
    this.intervalMs = median ?? (fps && fps > 0 ? 1000 / fps : 1000 / 30);
  }

  get length(): number {
    return this.times.length;
  }

  /**
   * The frame shown while the playback position is `positionMs` (video.currentTime × 1000):
   * the last frame that started at or before it. Null before the first frame, inside a gap of
   * the result longer than 1.5 intervals, and past the last frame's display period.
   */
  frameAtPosition(positionMs: number): number | null {
    if (!Number.isFinite(positionMs) || this.times.length === 0) return null;
    const k = this.lastAtOrBefore(positionMs + ROUNDING_MS);
    if (k < 0) return null;
    if (positionMs - this.times[k]! > 1.5 * this.intervalMs) return null;
    return this.order[k]!;
  }

  /**
   * The frame whose presentation time is `mediaTimeMs` (requestVideoFrameCallback): the nearest
   * timestamp, when it is within half an interval; null otherwise (a frame the result lacks).
   */
  frameAtPresentation(mediaTimeMs: number): number | null {
    if (!Number.isFinite(mediaTimeMs) || this.times.length === 0) return null;
    const k = this.lastAtOrBefore(mediaTimeMs);
    let best = -1;
    let bestDistance = Infinity;
    for (const c of [k, k + 1]) {
      if (c < 0 || c >= this.times.length) continue;
      const d = Math.abs(this.times[c]! - mediaTimeMs);
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    if (best < 0 || bestDistance > this.intervalMs / 2 + 2 * ROUNDING_MS) return null;
    return this.order[best]!;
  }

  /**
   * The playback position (seconds) to seek to so that the frame stamped `timestampMs` is the
   * one on screen: a quarter of an interval after it, so that neither the millisecond rounding
   * nor the float seconds ever land on the frame before.
   */
  seekTimeFor(timestampMs: number): number {
    return Math.max(0, timestampMs + this.intervalMs / 4) / 1000;
  }

  /** Index into `times` of the last timestamp ≤ t, or -1. */
  private lastAtOrBefore(t: number): number {
    let lo = 0;
    let hi = this.times.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.times[mid]! <= t) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }
}

/** "1:05.3" style label for a time in ms (minutes:seconds.tenths). */
export function formatTimecode(ms: number): string {
  const safe = Number.isFinite(ms) && ms > 0 ? ms : 0;
  const tenths = Math.round(safe / 100);
  const minutes = Math.floor(tenths / 600);
  const seconds = Math.floor((tenths % 600) / 10);
  return `${minutes}:${String(seconds).padStart(2, "0")}.${tenths % 10}`;
}

export type TextPart = { text: string } | { timestampMs: number; label: string };

/**
 * Splits an advice text at the timecodes the coaching module writes ("[1234ms]" below a minute,
 * "[1m23s]" from one minute on), so that each can become a control that seeks the video.
 */
export function splitTimecodes(text: string): TextPart[] {
  const parts: TextPart[] = [];
  const re = /\[(?:(\d{1,7})ms|(\d{1,4})m(\d{1,2})s)\]/g;
  let last = 0;
  for (const m of text.matchAll(re)) {
    const ms = m[1] !== undefined ? Number(m[1]) : Number(m[2]) * 60_000 + Number(m[3]) * 1000;
    if (m.index! > last) parts.push({ text: text.slice(last, m.index) });
    parts.push({ timestampMs: ms, label: formatTimecode(ms) });
    last = m.index! + m[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}
