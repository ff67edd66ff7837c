// A tiny inline SVG line of one orchestrator's daily figure (score, or success rate without a
// pipeline and model) on a fixed scale from 0.5 to 1 (lower values sit on the floor; the dashed line
// is 0.8), so rows compare at a glance. Days without probes are gaps, not zeros. Server-rendered, no
// script; the title lists the values for screen readers.
export function Sparkline({ values, days, label }: { values: (number | null)[]; days: string[]; label: string }) {
  const w = 120;
  const h = 24;
  const n = values.length;
  const x = (i: number) => (n <= 1 ? w / 2 : (i / (n - 1)) * (w - 2) + 1);
  const y = (v: number) => h - 1 - Math.max(0, Math.min(1, (v - 0.5) / 0.5)) * (h - 2);
  const segments: string[] = [];
  let current = "";
  values.forEach((v, i) => {
    if (v === null) {
      if (current) segments.push(current);
      current = "";
    } else current += `${current ? "L" : "M"}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
  });
  if (current) segments.push(current);
  const known = values.map((v, i) => (v === null ? null : `${days[i]}: ${(v * 100).toFixed(1)}`)).filter(Boolean);
  if (!known.length) return <span className="muted" title={`No ${label} history in these days`}>—</span>;
  const last = values.map((v, i) => [v, i] as const).filter(([v]) => v !== null).at(-1)!;
  return (
    <svg className="sparkline" width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={`${label} per day: ${known.join(", ")}`}>
      <title>{`${label} per day (x100, drawn from 50 to 100): ${known.join(", ")}`}</title>
      <line x1="0" x2={w} y1={y(0.8)} y2={y(0.8)} stroke="currentColor" strokeOpacity="0.15" strokeDasharray="2 2" />
      {segments.map((d, i) => (
        <path key={i} d={d} fill="none" stroke="currentColor" strokeWidth="1.5" />
      ))}
      <circle cx={x(last[1])} cy={y(last[0] as number)} r="2" fill="currentColor" />
    </svg>
  );
}
