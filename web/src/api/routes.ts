// Reads the routes API's answers (GET /v1/routes, /v1/routes/{id}) into the values the routes
// pages draw. Anything of the wrong type is left out, never trusted: a hold without a usable
// outline or centre is not drawn.
import { arr, bool, isObject, num, str } from "./guards";
import type { RouteStatus } from "./progress";

export const HOLD_COLOURS = [
  "red",
  "orange",
  "yellow",
  "green",
  "blue",
  "purple",
  "pink",
  "black",
  "white",
  "grey",
] as const;
export type HoldColour = (typeof HOLD_COLOURS)[number];

export const GRADE_SYSTEMS = ["fontainebleau", "french", "v_scale", "yds"] as const;
export type GradeSystem = (typeof GRADE_SYSTEMS)[number];

export type HoldRole = "start" | "top" | "hand" | "foot";

/** Screen colours of the palette names (the holds' outlines are drawn in their own colour). */
export const COLOUR_CSS: Record<HoldColour, string> = {
  red: "#ff3b30",
  orange: "#ff9500",
  yellow: "#ffd60a",
  green: "#34c759",
  blue: "#0a84ff",
  purple: "#bf5af2",
  pink: "#ff6ec7",
  black: "#111111",
  white: "#ffffff",
  grey: "#9aa0a6",
};

export interface Hold {
  id: string;
  /** Image pixels. */
  outline: [number, number][];
  centre: { x: number; y: number };
  colour: HoldColour;
  size: HoldSize;
  confidence: number;
  role: HoldRole | null;
  selected: boolean;
  origin: "detected" | "manual";
}

export interface RouteSummary {
  id: string;
  status: RouteStatus;
  progress: number;
  stage: string;
  name: string | null;
  grade: string | null;
  gradeSystem: GradeSystem | null;
  wallAngleDeg: number | null;
  imageWidth: number;
  imageHeight: number;
  holdCount: number;
  errorCode: string | null;
  createdAt: string;
}

export interface RouteDetail extends RouteSummary {
  holds: Hold[];
  imageUrl: string | null;
}

const STATUSES: ReadonlySet<string> = new Set(["awaiting_upload", "detecting", "ready", "failed"]);
const ROLES: ReadonlySet<string> = new Set(["start", "top", "hand", "foot"]);
export const HOLD_SIZES = ["foot_chip", "small", "medium", "large", "volume"] as const;
export type HoldSize = (typeof HOLD_SIZES)[number];

export function isHoldColour(v: unknown): v is HoldColour {
  return typeof v === "string" && (HOLD_COLOURS as readonly string[]).includes(v);
}

function isGradeSystem(v: unknown): v is GradeSystem {
  return typeof v === "string" && (GRADE_SYSTEMS as readonly string[]).includes(v);
}

function readPoint(v: unknown): [number, number] | null {
  if (!Array.isArray(v) || v.length !== 2) return null;
  const x = num(v[0]);
  const y = num(v[1]);
  return x === undefined || y === undefined ? null : [x, y];
}

export function readHold(v: unknown): Hold | null {
  if (!isObject(v)) return null;
  const id = str(v["id"]);
  const colour = v["colour"];
  if (!id || !isHoldColour(colour)) return null;
  const outline = arr(v["outline"])
    .map(readPoint)
    .filter((p): p is [number, number] => p !== null);
  const c = v["centre"];
  const cx = isObject(c) ? num(c["x"]) : undefined;
  const cy = isObject(c) ? num(c["y"]) : undefined;
  if (cx === undefined || cy === undefined || outline.length < 3) return null;
  const role = str(v["role"]);
  return {
    id,
    outline,
    centre: { x: cx, y: cy },
    colour,
    size: (HOLD_SIZES as readonly unknown[]).includes(v["size"]) ? (v["size"] as HoldSize) : "medium",
    confidence: num(v["confidence"]) ?? 0,
    role: role && ROLES.has(role) ? (role as HoldRole) : null,
    selected: bool(v["selected"]) ?? true,
    origin: v["origin"] === "manual" ? "manual" : "detected",
  };
}

export function readRoute(v: unknown): RouteSummary | null {
  if (!isObject(v)) return null;
  const id = str(v["id"]) ?? str(v["route_id"]);
  const status = str(v["status"]);
  if (!id || !status || !STATUSES.has(status)) return null;
  const gs = v["grade_system"];
  return {
    id,
    status: status as RouteStatus,
    progress: num(v["progress"]) ?? 0,
    stage: str(v["stage"]) ?? status,
    name: str(v["name"]) ?? null,
    grade: str(v["grade"]) ?? null,
    gradeSystem: isGradeSystem(gs) ? gs : null,
    wallAngleDeg: num(v["wall_angle_deg"]) ?? null,
    imageWidth: num(v["image_width"]) ?? 0,
    imageHeight: num(v["image_height"]) ?? 0,
    holdCount: num(v["hold_count"]) ?? 0,
    errorCode: str(v["error_code"]) ?? null,
    createdAt: str(v["created_at"]) ?? "",
  };
}

export function readRouteDetail(v: unknown): RouteDetail | null {
  const route = readRoute(v);
  if (!route || !isObject(v)) return null;
  const holds = arr(v["holds"])
    .map(readHold)
    .filter((h): h is Hold => h !== null);
  return { ...route, holds, imageUrl: str(v["image_url"]) ?? null };
}

export function readRouteList(v: unknown): { items: RouteSummary[]; pages: number } {
  const d = isObject(v) ? v : {};
  const items = arr(d["items"])
    .map(readRoute)
    .filter((r): r is RouteSummary => r !== null);
  const p = d["pagination"];
  return { items, pages: isObject(p) ? (num(p["pages"]) ?? 1) : 1 };
}

/** The colours present among the holds, most holds first, with how many are selected. */
export function coloursOf(holds: readonly Hold[]): { colour: HoldColour; holds: number; selected: number }[] {
  const counts = new Map<HoldColour, { holds: number; selected: number }>();
  for (const h of holds) {
    const c = counts.get(h.colour) ?? { holds: 0, selected: 0 };
    c.holds += 1;
    if (h.selected) c.selected += 1;
    counts.set(h.colour, c);
  }
  return [...counts.entries()]
    .map(([colour, c]) => ({ colour, ...c }))
    .sort((a, b) => b.holds - a.holds || HOLD_COLOURS.indexOf(a.colour) - HOLD_COLOURS.indexOf(b.colour));
}

/** Photo extensions the API signs an upload for; HEIC is refused with its own sentence. */
export type PhotoProblem = "heic" | "not_photo" | "empty" | "too_large";

export const PHOTO_ACCEPT = "image/jpeg,image/png,image/webp,.jpg,.jpeg,.png,.webp";
export const PHOTO_MAX_BYTES = 64 * 1024 * 1024;

export function checkPhoto(
  file: { name: string; type: string; size: number },
  maxBytes = PHOTO_MAX_BYTES,
): PhotoProblem | null {
  const name = file.name.toLowerCase();
  if (/\.(heic|heif|avif)$/.test(name) || /image\/(heic|heif|avif)/.test(file.type)) return "heic";
  if (!/\.(jpe?g|png|webp)$/.test(name) && !/^image\/(jpeg|png|webp)$/.test(file.type)) return "not_photo";
  if (file.size === 0) return "empty";
  if (file.size > maxBytes) return "too_large";
  return null;
}

/** A name the API accepts for the upload: the extension decides the signed content type. */
export function photoUploadName(file: { name: string; type: string }): string {
  const m = /\.(jpe?g|png|webp)$/i.exec(file.name);
  if (m) return `wall.${m[1]!.toLowerCase()}`;
  if (file.type === "image/png") return "wall.png";
  if (file.type === "image/webp") return "wall.webp";
  return "wall.jpg";
}
