// The training log's progress line: a bar, the rate and an ETA that does not jump with every busy minute on a
// shared machine (an exponential average of seconds per step, not the last interval alone).

/** `[#####...............]  25%` for done of total; an empty string when the run has no step limit. */
export function progressBar(done: number, total: number, width = 20): string {
  if (!(total > 0) || !Number.isFinite(total)) return '';
  const f = Math.min(1, Math.max(0, done / total));
  const filled = Math.round(f * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(f * 100)).padStart(3)}%`;
}

/** Seconds per step, averaged over roughly the last `span` log intervals. */
export class StepRate {
  private avg: number | null = null;

  constructor(private readonly span = 8) {}

  add(secondsPerStep: number): number {
    if (!(secondsPerStep > 0) || !Number.isFinite(secondsPerStep)) return this.avg ?? 0;
    const a = 2 / (this.span + 1);
    this.avg = this.avg === null ? secondsPerStep : this.avg + a * (secondsPerStep - this.avg);
    return this.avg;
  }
}

/** "2.4 h", "35 min" or "50 s". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'open-ended';
  if (seconds >= 5400) return `${(seconds / 3600).toFixed(1)} h`;
  if (seconds >= 90) return `${Math.round(seconds / 60)} min`;
  return `${Math.max(0, Math.round(seconds))} s`;
}
