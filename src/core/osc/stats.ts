import { DROP_REASONS, type DropLogger, type DropReason } from './types.ts';

export interface OscStats {
  /** Messages handed to the router (bundle elements count one each). */
  received: number;
  /** Parameter writes that reached the bus. */
  applied: number;
  /** Commands handed to the app. */
  commands: number;
  /** Messages replaced by a later one for the same target before the frame applied them. */
  coalesced: number;
  /** Values moved into range (accepted, but not as sent). */
  clamped: number;
  /** Button releases (0 or F after a press), ignored by design. */
  released: number;
  /** Messages whose bundle timetag lay in the future, held until due. */
  scheduled: number;
  /** Messages sent to a learned mapping. */
  learned: number;
  readonly dropped: Record<DropReason, number>;
}

export function emptyStats(): OscStats {
  const dropped = {} as Record<DropReason, number>;
  for (const r of DROP_REASONS) dropped[r] = 0;
  return { received: 0, applied: 0, commands: 0, coalesced: 0, clamped: 0, released: 0, scheduled: 0, learned: 0, dropped };
}

export function totalDropped(stats: OscStats): number {
  let n = 0;
  for (const r of DROP_REASONS) n += stats.dropped[r];
  return n;
}

/**
 * Counts every drop and logs a few: a flood of 10,000 bad messages must not become 10,000 log lines (a console
 * that slow would stall the frame loop). Per reason, at most `perWindow` entries per window; the next entry says
 * how many were suppressed in between.
 */
export class DropCounter {
  readonly stats: OscStats;
  private readonly log: DropLogger | undefined;
  private readonly windowMs: number;
  private readonly perWindow: number;
  private readonly windowStart = new Map<DropReason, number>();
  private readonly loggedInWindow = new Map<DropReason, number>();
  private readonly suppressed = new Map<DropReason, number>();

  constructor(stats: OscStats, log?: DropLogger, windowMs = 1000, perWindow = 5) {
    this.stats = stats;
    this.log = log;
    this.windowMs = windowMs;
    this.perWindow = perWindow;
  }

  /** `from`: the sender, where the transport knows it (the bridge: an IP address). */
  drop(reason: DropReason, address: string, detail: string, nowMs: number, from?: string): void {
    this.stats.dropped[reason]++;
    if (!this.log) return;
    const start = this.windowStart.get(reason);
    if (start === undefined || nowMs - start >= this.windowMs || nowMs < start) {
      this.windowStart.set(reason, nowMs);
      this.loggedInWindow.set(reason, 0);
    }
    const logged = this.loggedInWindow.get(reason) ?? 0;
    if (logged >= this.perWindow) {
      this.suppressed.set(reason, (this.suppressed.get(reason) ?? 0) + 1);
      return;
    }
    this.loggedInWindow.set(reason, logged + 1);
    const suppressed = this.suppressed.get(reason) ?? 0;
    this.suppressed.set(reason, 0);
    this.log(from === undefined ? { reason, address, detail, suppressed } : { reason, address, detail, suppressed, from });
  }
}
