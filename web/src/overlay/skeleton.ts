// Draws one analysed frame over the video: bones and joints, joint angles, the centre of mass
// and its path so far. Coordinates are normalised (0..1) in the displayed (rotated) frame, like
// the result's landmarks, so the canvas only has to cover the video's picture exactly.
import { MIN_CONFIDENCE, type ResultFrame } from "../api/result";

/** MediaPipe BlazePose connections without the face. */
export const BONES: readonly (readonly [number, number])[] = [
  [11, 12],
  [11, 13],
  [13, 15],
  [12, 14],
  [14, 16],
  [11, 23],
  [12, 24],
  [23, 24],
  [23, 25],
  [25, 27],
  [24, 26],
  [26, 28],
  [27, 29],
  [29, 31],
  [27, 31],
  [28, 30],
  [30, 32],
  [28, 32],
  [15, 17],
  [15, 19],
  [17, 19],
  [15, 21],
  [16, 18],
  [16, 20],
  [18, 20],
  [16, 22],
];

/** Joints whose angle the result gives (shoulders, elbows, hips, knees). */
export const ANGLE_JOINTS = [11, 12, 13, 14, 23, 24, 25, 26] as const;

/** The skeleton's colour: a cyan that neither skin, chalk nor a wall is likely to have. */
export const SKELETON_RGB = [0, 229, 255] as const;
export const COM_RGB = [255, 43, 214] as const;
/** The ghost's colour (drawn translucent, under the climber's skeleton): an amber. */
export const GHOST_RGB = [255, 176, 0] as const;
export const GHOST_ALPHA = 0.6;
const rgb = (c: readonly number[], a = 1) => `rgba(${c[0]}, ${c[1]}, ${c[2]}, ${a})`;

export interface Layers {
  skeleton: boolean;
  angles: boolean;
  com: boolean;
  trail: boolean;
  ghost: boolean;
}

export const ALL_LAYERS: Layers = { skeleton: true, angles: true, com: true, trail: true, ghost: true };

export interface DrawInput {
  frame: ResultFrame | null;
  /** Centre-of-mass positions from the start up to this frame. */
  trail: readonly { x: number; y: number }[];
  layers: Layers;
  /** The ghost's frame to draw beside the climber (a route's ghost, in the same coordinates). */
  ghost?: ResultFrame | null;
  /** Canvas size in device pixels, and device pixels per CSS pixel. */
  width: number;
  height: number;
  scale: number;
}

export function drawOverlay(ctx: CanvasRenderingContext2D, d: DrawInput): void {
  ctx.clearRect(0, 0, d.width, d.height);
  const px = (p: { x: number; y: number }) => [p.x * d.width, p.y * d.height] as const;
  const s = d.scale;

  if (d.layers.ghost && d.ghost) drawGhost(ctx, d.ghost, px, s);

  if (d.layers.trail && d.trail.length > 1) {
    ctx.beginPath();
    d.trail.forEach((p, i) => {
      const [x, y] = px(p);
      if (i === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    });
    ctx.strokeStyle = rgb(COM_RGB, 0.55);
    ctx.lineWidth = 2 * s;
    ctx.lineJoin = "round";
    ctx.stroke();
  }

  const f = d.frame;
  if (!f || !f.poseDetected) return;

  if (d.layers.skeleton) {
    ctx.lineCap = "round";
    for (const [a, b] of BONES) {
      const la = f.landmarks.get(a);
      const lb = f.landmarks.get(b);
      if (!la || !lb) continue;
      const sure = la.confidence >= MIN_CONFIDENCE && lb.confidence >= MIN_CONFIDENCE;
      const [x1, y1] = px(la);
      const [x2, y2] = px(lb);
      // A dark casing under the line keeps it readable on light walls.
      ctx.strokeStyle = `rgba(0, 0, 0, ${sure ? 0.55 : 0.2})`;
      ctx.lineWidth = 6 * s;
      ctx.beginPath();
      ctx.moveTo(x1, y1);
      ctx.lineTo(x2, y2);
      ctx.stroke();
      ctx.strokeStyle = rgb(SKELETON_RGB, sure ? 1 : 0.35);
      ctx.lineWidth = 3 * s;
      ctx.stroke();
    }
    for (const [index, l] of f.landmarks) {
      if (index <= 10) continue; // the face is not drawn
      const [x, y] = px(l);
      ctx.beginPath();
      ctx.arc(x, y, 5 * s, 0, Math.PI * 2);
      ctx.fillStyle = rgb(SKELETON_RGB, l.confidence >= MIN_CONFIDENCE ? 1 : 0.35);
      ctx.fill();
    }
  }

  if (d.layers.com && f.com) {
    const [x, y] = px(f.com);
    ctx.beginPath();
    ctx.arc(x, y, 7 * s, 0, Math.PI * 2);
    ctx.fillStyle = rgb(COM_RGB);
    ctx.fill();
    ctx.lineWidth = 2 * s;
    ctx.strokeStyle = "#ffffff";
    ctx.stroke();
  }

  if (d.layers.angles) {
    ctx.font = `600 ${13 * s}px system-ui, sans-serif`;
    ctx.textBaseline = "middle";
    const trunk = [11, 12, 23, 24].map((i) => f.landmarks.get(i)).filter((l) => l !== undefined);
    const middle = trunk.length > 0 ? trunk.reduce((sum, l) => sum + l.x, 0) / trunk.length : 0.5;
    for (const j of ANGLE_JOINTS) {
      const l = f.landmarks.get(j);
      const measured = f.angles.get(j);
      // An angle resting on an uncertain landmark is shown greyed and marked ≈ (never counted).
      const deg = measured ?? f.uncertainAngles.get(j);
      if (!l || deg === undefined) continue;
      const sure = measured !== undefined && l.confidence >= MIN_CONFIDENCE;
      const label = sure ? `${Math.round(deg)}°` : `≈${Math.round(deg)}°`;
      const [x, y] = px(l);
      const w = ctx.measureText(label).width + 8 * s;
      const h = 18 * s;
      // Labels sit beside the joint, outwards from the body's middle, never on the joint itself.
      const right = l.x >= middle;
      const bx = right ? x + 9 * s : x - 9 * s - w;
      const by = y - h / 2;
      ctx.fillStyle = sure ? "rgba(10, 14, 20, 0.8)" : "rgba(10, 14, 20, 0.55)";
      ctx.fillRect(bx, by, w, h);
      ctx.fillStyle = sure ? "#ffffff" : "#c3ccd5";
      ctx.fillText(label, bx + 4 * s, y);
    }
  }
}

/** The ghost: its bones and joints, translucent, without casing (it stays behind the climber). */
function drawGhost(
  ctx: CanvasRenderingContext2D,
  g: ResultFrame,
  px: (p: { x: number; y: number }) => readonly [number, number],
  s: number,
): void {
  ctx.save();
  ctx.lineCap = "round";
  ctx.strokeStyle = rgb(GHOST_RGB, GHOST_ALPHA);
  ctx.fillStyle = rgb(GHOST_RGB, GHOST_ALPHA);
  ctx.lineWidth = 5 * s;
  // One path for every bone: overlapping bones do not add up their translucency.
  ctx.beginPath();
  for (const [a, b] of BONES) {
    const la = g.landmarks.get(a);
    const lb = g.landmarks.get(b);
    if (!la || !lb || la.confidence <= 0 || lb.confidence <= 0) continue;
    ctx.moveTo(...px(la));
    ctx.lineTo(...px(lb));
  }
  ctx.stroke();
  const head = g.landmarks.get(0);
  if (head && head.confidence > 0) {
    ctx.beginPath();
    const [x, y] = px(head);
    ctx.arc(x, y, 9 * s, 0, Math.PI * 2);
    ctx.fill();
  }
  ctx.restore();
}
