import { useEffect, useState } from 'preact/hooks';

/** Whole seconds left until an ISO time, updated every second. */
export function useCountdown(until: string | undefined): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return until ? Math.max(0, Math.round((Date.parse(until) - now) / 1000)) : 0;
}
