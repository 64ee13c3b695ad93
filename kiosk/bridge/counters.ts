import type { BridgeCounters } from '../../src/core/osc/ws-protocol.ts';
import type { DropReason } from '../../src/core/osc/types.ts';
import { readKernelDrops, type KernelDrops } from './udp-drops.ts';

/** Counters are sampled this often; rates are over the last RATE_SAMPLES samples (~10 s). */
export const SAMPLE_MS = 1000;
const RATE_SAMPLES = 10;

interface Totals {
  readonly received: number;
  readonly forwarded: number;
  readonly dropped: Readonly<Record<DropReason, number>>;
}

/**
 * The bridge's figures for /health and the HUD: totals, rates per second over a sliding window, drops by reason and
 * the kernel's receive-buffer drops for the bridge's UDP port. Time is passed in (sample(now), snapshot(now)).
 */
export class BridgeMeter {
  private readonly samples: { t: number; received: number; forwarded: number }[] = [];
  private readonly kernelBaseline: KernelDrops;

  constructor(
    private readonly totals: () => Totals,
    private readonly udpPort: number,
    nowMs: number,
    private readonly kernel: (ports: readonly number[]) => KernelDrops = readKernelDrops,
  ) {
    this.kernelBaseline = kernel([udpPort]);
    this.sample(nowMs);
  }

  sample(nowMs: number): void {
    const t = this.totals();
    this.samples.push({ t: nowMs, received: t.received, forwarded: t.forwarded });
    if (this.samples.length > RATE_SAMPLES) this.samples.shift();
  }

  kernelDrops(): KernelDrops {
    const k = this.kernel([this.udpPort]);
    const b = this.kernelBaseline;
    // The machine-wide figure counts since boot: report what happened since the bridge started.
    if (k.source === 'system' && b.source === 'system' && k.drops !== null && b.drops !== null) return { drops: k.drops - b.drops, source: 'system' };
    return k;
  }

  snapshot(nowMs: number): BridgeCounters {
    const t = this.totals();
    const first = this.samples[0];
    const dt = first ? (nowMs - first.t) / 1000 : 0;
    const rate = (now: number, then: number): number => (dt > 0 ? Math.round(((now - then) / dt) * 10) / 10 : 0);
    const dropped: Record<string, number> = {};
    for (const [k, v] of Object.entries(t.dropped)) if (v > 0) dropped[k] = v;
    const k = this.kernelDrops();
    return {
      received: t.received,
      receivedPerSecond: rate(t.received, first?.received ?? t.received),
      forwarded: t.forwarded,
      forwardedPerSecond: rate(t.forwarded, first?.forwarded ?? t.forwarded),
      dropped,
      kernelDrops: k.drops,
      kernelDropsSource: k.source,
    };
  }
}
