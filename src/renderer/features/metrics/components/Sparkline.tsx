import { memo } from 'react';

/**
 * A tiny line of 0–100 values as one SVG path (no chart library: a thousand rows each with two of these must
 * stay cheap to mount while scrolling). Empty when there are fewer than two points.
 */
export const Sparkline = memo(function Sparkline({
  values,
  label,
  width = 96,
  height = 22,
}: {
  values: readonly number[] | undefined;
  label: string;
  width?: number;
  height?: number;
}): React.JSX.Element {
  const n = values?.length ?? 0;
  let d = '';
  if (values && n >= 2) {
    const step = width / (n - 1);
    d = values
      .map((v, i) => {
        const y = height - 1 - (Math.min(100, Math.max(0, v)) / 100) * (height - 2);
        return `${i === 0 ? 'M' : 'L'}${(i * step).toFixed(1)} ${y.toFixed(1)}`;
      })
      .join('');
  }
  return (
    <svg className="sparkline" width={width} height={height} viewBox={`0 0 ${width} ${height}`} aria-label={label}>
      <line x1={0} y1={height - 0.5} x2={width} y2={height - 0.5} className="sparkline-base" />
      {d ? <path d={d} className="sparkline-line" /> : null}
    </svg>
  );
});
