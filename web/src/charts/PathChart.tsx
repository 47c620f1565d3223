// The centre of mass's path over the climb, in the video's own frame (x right, y down), with
// the current position marked.
import { line } from "d3-shape";

interface Props {
  points: readonly { x: number; y: number }[];
  current: { x: number; y: number } | null;
  aspect: number;
  title: string;
  description: string;
}

export function PathChart({ points, current, aspect, title, description }: Props) {
  if (points.length < 2) return null;
  const H = 400;
  const W = Math.round(H * aspect);
  const d = line<{ x: number; y: number }>()
    .x((p) => p.x * W)
    .y((p) => p.y * H)(points as { x: number; y: number }[]);
  const first = points[0]!;
  const last = points[points.length - 1]!;
  return (
    <svg className="chart path-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${title}. ${description}`}>
      <title>{title}</title>
      <desc>{description}</desc>
      <rect className="chart-frame" x={0} y={0} width={W} height={H} />
      <path className="chart-line com" d={d ?? ""} />
      <circle className="chart-start" cx={first.x * W} cy={first.y * H} r={5} />
      <circle className="chart-end" cx={last.x * W} cy={last.y * H} r={5} />
      {current && <circle className="chart-now" cx={current.x * W} cy={current.y * H} r={7} />}
    </svg>
  );
}
