// A line chart in SVG (d3-scale for the axes, d3-shape for the path) with a cursor at the
// video's current time; a click on it picks a time. Its numbers are also given as text by the
// caller (WCAG: a text alternative for every chart).
import { scaleLinear } from "d3-scale";
import { line } from "d3-shape";
import type { KeyboardEvent, MouseEvent } from "react";

export interface LinePoint {
  x: number;
  y: number;
}

interface Props {
  points: readonly LinePoint[];
  title: string;
  description: string;
  xLabel: string;
  yLabel: string;
  cursorX?: number | null;
  onPick?: (x: number) => void;
  formatX?: (x: number) => string;
  formatY?: (y: number) => string;
}

const W = 640;
const H = 220;
const M = { top: 30, right: 16, bottom: 40, left: 48 };

export function LineChart(p: Props) {
  if (p.points.length < 2) return null;
  const xs = p.points.map((q) => q.x);
  const ys = p.points.map((q) => q.y);
  const x = scaleLinear()
    .domain([Math.min(...xs), Math.max(...xs)])
    .range([M.left, W - M.right]);
  const y = scaleLinear()
    .domain([0, Math.max(1e-6, ...ys)])
    .nice()
    .range([H - M.bottom, M.top]);
  const path = line<LinePoint>()
    .x((q) => x(q.x))
    .y((q) => y(q.y))(p.points as LinePoint[]);
  const fx = p.formatX ?? ((v: number) => String(v));
  const fy = p.formatY ?? ((v: number) => String(v));

  const pick = (e: MouseEvent<SVGSVGElement>) => {
    if (!p.onPick) return;
    const box = e.currentTarget.getBoundingClientRect();
    const vx = ((e.clientX - box.left) / box.width) * W;
    p.onPick(Math.min(x.domain()[1]!, Math.max(x.domain()[0]!, x.invert(vx))));
  };
  const key = (e: KeyboardEvent<SVGSVGElement>) => {
    if (!p.onPick || p.cursorX === undefined || p.cursorX === null) return;
    const step = (x.domain()[1]! - x.domain()[0]!) / 50;
    if (e.key === "ArrowRight") p.onPick(Math.min(x.domain()[1]!, p.cursorX + step));
    else if (e.key === "ArrowLeft") p.onPick(Math.max(x.domain()[0]!, p.cursorX - step));
    else return;
    e.preventDefault();
  };

  return (
    <svg
      className="chart line-chart"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={`${p.title}. ${p.description}`}
      onClick={pick}
      onKeyDown={key}
      tabIndex={p.onPick ? 0 : undefined}
    >
      <title>{p.title}</title>
      <desc>{p.description}</desc>
      {y.ticks(4).map((t) => (
        <g key={`y${t}`} className="chart-grid">
          <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} />
          <text x={M.left - 6} y={y(t)} textAnchor="end" dominantBaseline="middle">
            {fy(t)}
          </text>
        </g>
      ))}
      {x.ticks(6).map((t) => (
        <text key={`x${t}`} className="chart-tick" x={x(t)} y={H - M.bottom + 16} textAnchor="middle">
          {fx(t)}
        </text>
      ))}
      <text className="chart-axis" x={(M.left + W - M.right) / 2} y={H - 4} textAnchor="middle">
        {p.xLabel}
      </text>
      <text className="chart-axis" x={M.left - 40} y={4} dominantBaseline="hanging">
        {p.yLabel}
      </text>
      <path className="chart-line" d={path ?? ""} />
      {p.cursorX !== undefined && p.cursorX !== null && (
        <line className="chart-cursor" x1={x(p.cursorX)} x2={x(p.cursorX)} y1={M.top} y2={H - M.bottom} />
      )}
    </svg>
  );
}
