import { useEffect, useState } from 'react';

/** Whole seconds left until `until` (epoch ms), re-rendering as it ticks; 0 when past or null. */
export function useCountdown(until: number | null): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    if (until === null) return undefined;
    const tick = (): void => {
      const t = Date.now();
      setNow(t);
      if (t >= until) window.clearInterval(timer);
    };
    const first = window.setTimeout(tick, 0);
    const timer = window.setInterval(tick, 250);
    return () => {
      window.clearTimeout(first);
      window.clearInterval(timer);
    };
  }, [until]);
  return until === null ? 0 : Math.max(0, Math.ceil((until - now) / 1000));
}
