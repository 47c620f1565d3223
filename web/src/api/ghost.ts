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
  const beta = isObject(d["beta"]) ? d["beta"] : null;
  const moves: GhostMove[] = [];
  for (const m of arr(beta?.["moves"])) {
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
