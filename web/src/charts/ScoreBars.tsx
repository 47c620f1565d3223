// Scores 0-100 as labelled bars; the numbers are text, the bars only illustrate them.
interface Props {
  scores: { label: string; value: number | null | undefined; text: string }[];
}

export function ScoreBars({ scores }: Props) {
  return (
    <ul className="scores">
      {scores.map((s) => (
        <li key={s.label}>
          <span className="score-label">{s.label}</span>
          <span className="score-bar" aria-hidden="true">
            <span style={{ width: `${Math.max(0, Math.min(100, s.value ?? 0))}%` }} />
          </span>
          <span className="score-value">{s.text}</span>
        </li>
      ))}
    </ul>
  );
}
