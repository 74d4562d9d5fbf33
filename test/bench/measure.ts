// Timing helpers shared by the benches: all times in ms, medians over repeated runs.

export function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function elapsedMs(work: () => unknown): number {
  const start = process.hrtime.bigint();
  work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Time of one run; collects garbage first when node runs with --expose-gc. */
export function once(work: () => unknown): number {
  (globalThis as { gc?: () => void }).gc?.();
  return elapsedMs(work);
}

/** Median of `runs` timed runs after one warm-up (garbage collected first when --expose-gc is on). */
export function medianMs(work: () => unknown, runs: number): number {
  (globalThis as { gc?: () => void }).gc?.();
  work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(elapsedMs(work));
  return median(samples);
}
