// Analyses per week as bars (d3-scale band and linear scales), in SVG with a text alternative.
import { scaleBand, scaleLinear } from "d3-scale";

interface Props {
  weeks: { label: string; value: number; secondary?: number }[];
  title: string;
  description: string;
  /** Values above this are drawn at the top (e.g. 100 for scores). */
  max?: number;
  formatValue?: (v: number) => string;
  /** Counts: only whole numbers on the axis (no "0.2 analyses"). */
  integer?: boolean;
}

const W = 560;
const H = 240;
const M = { top: 16, right: 12, bottom: 40, left: 40 };

export function WeeklyChart({ weeks, title, description, max, formatValue, integer }: Props) {
  const x = scaleBand<string>()
    .domain(weeks.map((w) => w.label))
    .range([M.left, W - M.right])
    .padding(0.25);
  const top = max ?? Math.max(1, ...weeks.map((w) => w.value));
  const y = scaleLinear()
    .domain([0, top])
    .nice()
    .range([H - M.bottom, M.top]);
  const fmt = formatValue ?? ((v: number) => String(v));
  return (
    <svg className="chart weekly-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${title}. ${description}`}>
      <title>{title}</title>
      <desc>{description}</desc>
      {y
        .ticks(4)
        .filter((t) => !integer || Number.isInteger(t))
        .map((t) => (
          <g key={t} className="chart-grid">
            <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} />
            <text x={M.left - 6} y={y(t)} textAnchor="end" dominantBaseline="middle">
              {fmt(t)}
            </text>
          </g>
        ))}
      {weeks.map((w, i) => (
        <g key={w.label}>
          <rect
            className="chart-bar"
            x={x(w.label)}
            width={x.bandwidth()}
            y={y(Math.min(w.value, top))}
            height={Math.max(0, H - M.bottom - y(Math.min(w.value, top)))}
          />
          {(i % 2 === 0 || weeks.length <= 6) && (
            <text
              className="chart-tick"
              x={(x(w.label) ?? 0) + x.bandwidth() / 2}
              y={H - M.bottom + 16}
              textAnchor="middle"
            >
              {w.label}
            </text>
          )}
        </g>
      ))}
    </svg>
  );
}
