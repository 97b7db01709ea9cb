// How many major (mark-compact) collections V8 ran: the echo benchmark's
// explanation of its swings. A server that allocates a 64 KiB buffer per
// read can fall into a run of major GCs started by V8's external-memory
// pressure heuristics; raw Node and woven alike, depending on timing.
import { constants, PerformanceObserver } from 'node:perf_hooks';

/** Start counting this process's major GCs; `count()` is the number since the start. */
export function majorGCs(): { count(): number } {
  let n = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const { detail } = entry as { detail?: { kind?: number } };
      if (detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) n++;
    }
  }).observe({ entryTypes: ['gc'] });
  return { count: () => n };
}
