// Reads the ghost document (GET /v1/routes/{id}/ghost, docs/ghost.md "JSON") into what the ghost
// page plays: its frames (the analysis frame format, landmarks normalised to the photo), its
// moves and, when no beta exists, why. Anything of the wrong type is left out.
import { arr, isObject, num, str } from "./guards";
import { parseResult, type ResultFrame } from "./result";

export interface GhostMove {
  index: number;
  limb: string;
  from: string | null;
  to: string | null;
  distanceCm: number | null;
  startMs: number;
  endMs: number;
}

export interface GhostDoc {
  frames: ResultFrame[];
  durationMs: number;
  moves: GhostMove[];
  noBeta: { code: string; message: string } | null;
}

/** A contact's hold id, "smear" for a foot on the wall, null for none. */
function contactOf(v: unknown): string | null {
  if (!isObject(v)) return null;
  const hold = v["hold"];
  if (typeof hold === "string" || typeof hold === "number") return String(hold);
  return isObject(v["smear"]) ? "smear" : null;
}

/** The ghost document of GET /v1/routes/{id}/ghost, its wrong parts left out. */
export function readGhost(doc: unknown): GhostDoc {
  const d = isObject(doc) ? doc : {};
  const { frames, video } = parseResult(d);
  const moves = readMoves(d["beta"]);
  const nb = d["no_beta"];
  const noBeta = isObject(nb) ? { code: str(nb["code"]) ?? "no_beta", message: str(nb["message"]) ?? "" } : null;
  const last = frames.length > 0 ? frames[frames.length - 1]!.timestampMs : 0;
  return { frames, durationMs: video.durationMs ?? last, moves, noBeta };
}

/** The frame shown at `ms`: the last one at or before it. */
export function frameAt(frames: readonly ResultFrame[], ms: number): ResultFrame | null {
  let lo = 0;
  let hi = frames.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (frames[mid]!.timestampMs <= ms) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best >= 0 ? frames[best]! : (frames[0] ?? null);
}

/** How a real move compares with the ghost's (docs/ghost.md "Comparison with a climb"). */
export type DeviationKind = "same_hold" | "other_hold" | "extra_move" | "skipped_move";
const DEVIATION_KINDS: ReadonlySet<string> = new Set(["same_hold", "other_hold", "extra_move", "skipped_move"]);

export interface ComparedMove {
  kind: DeviationKind;
  limb: string;
  ghostHold: string | null;
  realHold: string | null;
  reordered: boolean;
  holdDistanceCm: number | null;
  comDistanceCm: number | null;
  timeDeltaMs: number | null;
  /** When it happens in the climber's video, and in the ghost's climb. */
  videoMs: number | null;
  ghostMs: number | null;
}

/** The result's `ghost` section (GET /v1/analyses/{id}/result, OpenAPI AnalysisGhost). */
export interface AnalysisGhost {
  routeId: string;
  status: string;
  moves: GhostMove[];
  cost: number | null;
  compared: ComparedMove[];
  counts: Record<DeviationKind, number>;
  /** [video ms, ghost ms], both increasing: the ghost's time beside the video's. */
  sync: [number, number][];
  noBeta: { code: string; message: string } | null;
  message: string | null;
  /**
   * Of the inputs of the ghost compared with (the stored ghost's): GET /v1/routes/{id}/ghost
   * carries the same one while that ghost is still the route's.
   */
  fingerprint: string | null;
}

function readMoves(beta: unknown): GhostMove[] {
  const moves: GhostMove[] = [];
  for (const m of arr(isObject(beta) ? beta["moves"] : undefined)) {
    if (!isObject(m)) continue;
    const startMs = num(m["start_ms"]);
    const endMs = num(m["end_ms"]);
    const limb = str(m["limb"]);
    if (startMs === undefined || endMs === undefined || !limb) continue;
    moves.push({
      index: num(m["index"]) ?? moves.length,
      limb,
      from: contactOf(m["from"]),
      to: contactOf(m["to"]),
      distanceCm: num(m["distance_cm"]) ?? null,
      startMs,
      endMs,
    });
  }
  return moves;
}

const holdId = (v: unknown): string | null => (typeof v === "string" || typeof v === "number" ? String(v) : null);

/** The `ghost` section of an analysis result, or null when the result has none (or junk). */
export function readAnalysisGhost(result: unknown): AnalysisGhost | null {
  const g = isObject(result) ? result["ghost"] : undefined;
  if (!isObject(g)) return null;
  const routeId = str(g["route_id"]);
  const status = str(g["status"]);
  if (!routeId || !status) return null;
  const c = isObject(g["comparison"]) ? g["comparison"] : {};
  const compared: ComparedMove[] = [];
  for (const m of arr(c["moves"])) {
    if (!isObject(m)) continue;
    const kind = str(m["kind"]);
    const limb = str(m["limb"]);
    if (!kind || !DEVIATION_KINDS.has(kind) || !limb) continue;
    compared.push({
      kind: kind as DeviationKind,
      limb,
      ghostHold: holdId(m["ghost_hold"]),
      realHold: holdId(m["real_hold"]),
      reordered: m["reordered"] === true,
      holdDistanceCm: num(m["hold_distance_cm"]) ?? null,
      comDistanceCm: num(m["com_distance_cm"]) ?? null,
      timeDeltaMs: num(m["time_delta_ms"]) ?? null,
      videoMs: num(m["video_ms"]) ?? null,
      ghostMs: num(m["ghost_ms"]) ?? null,
    });
  }
  const counts: Record<DeviationKind, number> = { same_hold: 0, other_hold: 0, extra_move: 0, skipped_move: 0 };
  const n = isObject(c["counts"]) ? c["counts"] : {};
  for (const k of DEVIATION_KINDS) counts[k as DeviationKind] = num(n[k]) ?? 0;
  // The sync pairs, kept only while both times increase (a pair going back is dropped).
  const sync: [number, number][] = [];
  for (const p of arr(c["sync"])) {
    if (!Array.isArray(p) || p.length !== 2) continue;
    const v = num(p[0]);
    const gh = num(p[1]);
    if (v === undefined || gh === undefined) continue;
    const last = sync[sync.length - 1];
    if (last && (v < last[0] || gh < last[1])) continue;
    sync.push([v, gh]);
  }
  const nb = g["no_beta"];
  const err = g["error"];
  const beta = isObject(g["beta"]) ? g["beta"] : null;
  return {
    routeId,
    status,
    moves: readMoves(beta),
    cost: num(beta?.["cost"]) ?? null,
    compared,
    counts,
    sync,
    noBeta: isObject(nb) ? { code: str(nb["code"]) ?? "no_beta", message: str(nb["message"]) ?? "" } : null,
    message: (isObject(err) ? str(err["message"]) : undefined) ?? str(g["message"]) ?? null,
    fingerprint: str(g["fingerprint"]) ?? null,
  };
}

/**
 * The ghost's time to show beside the video at `videoMs` (GhostTimeAt of docs/ghost.md): linear
 * between the sync pairs, held at the first pair's ghost time before it and the last one's after.
 * Null without pairs.
 */
export function ghostTimeAt(sync: readonly (readonly [number, number])[], videoMs: number): number | null {
  if (sync.length === 0 || !Number.isFinite(videoMs)) return null;
  const first = sync[0]!;
  const last = sync[sync.length - 1]!;
  if (videoMs <= first[0]) return first[1];
  if (videoMs >= last[0]) return last[1];
  let lo = 0;
  let hi = sync.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (sync[mid]![0] <= videoMs) lo = mid;
    else hi = mid;
  }
  // sync[lo] is the last pair at or before videoMs (of several at one video time, the latest
  // ghost time: the climber waited), sync[hi] the first after it.
  const [v0, g0] = sync[lo]!;
  const [v1, g1] = sync[hi]!;
  return g0 + ((videoMs - v0) / (v1 - v0)) * (g1 - g0);
}
