// The geometry of the route editor's corrections, in image pixels: a hold moved or resized (with
// the mouse or the keyboard) stays inside the photo and keeps a usable size; the keys that do it.

export type Outline = [number, number][];

/** The polygon's centroid (as the API computes `centre`), the mean of its points when it is flat. */
export function centroid(outline: readonly (readonly [number, number])[]): { x: number; y: number } {
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < outline.length; i++) {
    const [x0, y0] = outline[i]!;
    const [x1, y1] = outline[(i + 1) % outline.length]!;
    const cross = x0 * y1 - x1 * y0;
    a += cross;
    cx += (x0 + x1) * cross;
    cy += (y0 + y1) * cross;
  }
  if (Math.abs(a) < 1e-9) {
    const n = Math.max(1, outline.length);
    return {
      x: outline.reduce((s, p) => s + p[0], 0) / n,
      y: outline.reduce((s, p) => s + p[1], 0) / n,
    };
  }
  return { x: cx / (3 * a), y: cy / (3 * a) };
}

function bounds(outline: readonly (readonly [number, number])[]) {
  const xs = outline.map((p) => p[0]);
  const ys = outline.map((p) => p[1]);
  return { left: Math.min(...xs), right: Math.max(...xs), top: Math.min(...ys), bottom: Math.max(...ys) };
}

/** The outline moved by (dx, dy), as far as the photo (width × height) lets it go. */
export function moveOutline(outline: Outline, dx: number, dy: number, width: number, height: number): Outline {
  const b = bounds(outline);
  const x = Math.min(Math.max(dx, -b.left), width - b.right);
  const y = Math.min(Math.max(dy, -b.top), height - b.bottom);
  return outline.map(([px, py]) => [px + x, py + y]);
}

/** Smallest hold the editor makes, in pixels across (the API refuses below 4 px² of area). */
export const MIN_SIZE_PX = 6;

/**
 * The outline scaled by `factor` about its centroid; a growth stops at the photo's edges, a
 * shrink at MIN_SIZE_PX across. Null when nothing would change.
 */
export function resizeOutline(outline: Outline, factor: number, width: number, height: number): Outline | null {
  if (!Number.isFinite(factor) || factor <= 0 || outline.length < 3) return null;
  const c = centroid(outline);
  const b = bounds(outline);
  const size = Math.max(b.right - b.left, b.bottom - b.top);
  let f = factor;
  if (size * f < MIN_SIZE_PX) f = MIN_SIZE_PX / Math.max(size, 1e-9);
  // The largest factor that keeps every side inside the photo.
  const room = [
    b.left < c.x ? c.x / (c.x - b.left) : Infinity,
    b.right > c.x ? (width - c.x) / (b.right - c.x) : Infinity,
    b.top < c.y ? c.y / (c.y - b.top) : Infinity,
    b.bottom > c.y ? (height - c.y) / (b.bottom - c.y) : Infinity,
  ];
  f = Math.min(f, ...room);
  if (Math.abs(f - 1) < 1e-6) return null;
  return outline.map(([x, y]) => [c.x + (x - c.x) * f, c.y + (y - c.y) * f]);
}

/** Pixels an arrow key moves a hold or the add cursor: 1 % of the photo's larger side (× 5 with Shift). */
export function keyStep(width: number, height: number, shift: boolean): number {
  return Math.max(1, Math.round(Math.max(width, height) / 100)) * (shift ? 5 : 1);
}

export const GROW = 1.1;

export type KeyEdit = { kind: "move"; dx: number; dy: number } | { kind: "resize"; factor: number };

/** What a key does to the focused hold: arrows move it, + and − resize it; null for other keys. */
export function keyEdit(key: string, step: number): KeyEdit | null {
  switch (key) {
    case "ArrowLeft":
      return { kind: "move", dx: -step, dy: 0 };
    case "ArrowRight":
      return { kind: "move", dx: step, dy: 0 };
    case "ArrowUp":
      return { kind: "move", dx: 0, dy: -step };
    case "ArrowDown":
      return { kind: "move", dx: 0, dy: step };
    case "+":
    case "=":
    case "Add":
      return { kind: "resize", factor: GROW };
    case "-":
    case "_":
    case "Subtract":
      return { kind: "resize", factor: 1 / GROW };
    default:
      return null;
  }
}
