// How late an interval timer runs: the fairness benchmark's measure of a
// process whose loop is kept busy.

/** Lateness of the timer's runs since the last `take()`, in milliseconds. */
export interface Lateness {
  /** Runs of the timer. */
  runs: number;
  /** The latest a run came, past its due time. */
  maxMs: number;
  /** The median lateness. */
  medianMs: number;
}

/** Start an unref'd `seconds` interval timer that records how late each run is. */
export function lateness(seconds: number): { take(): Lateness } {
  const ms = seconds * 1000;
  let due = performance.now() + ms;
  let late: number[] = [];
  setInterval(() => {
    const now = performance.now();
    late.push(Math.max(0, now - due));
    due = now + ms;
  }, ms).unref();
  return {
    take(): Lateness {
      const s = late.sort((a, b) => a - b);
      late = [];
      return {
        runs: s.length,
        maxMs: s.length ? s[s.length - 1]! : Number.NaN,
        medianMs: s.length ? s[s.length >> 1]! : Number.NaN,
      };
    },
  };
}
