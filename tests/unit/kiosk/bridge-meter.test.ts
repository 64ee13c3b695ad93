import { describe, expect, it } from 'vitest';
import { BridgeMeter } from '../../../kiosk/bridge/counters.ts';
import { emptyStats } from '../../../src/core/osc/stats.ts';
import type { KernelDrops } from '../../../kiosk/bridge/udp-drops.ts';

describe('bridge meter', () => {
  it('gives rates over the sampled window, drops by reason seen, and machine-wide kernel drops since start', () => {
    const stats = emptyStats();
    let forwarded = 0;
    let kernel: KernelDrops = { drops: 500, source: 'system' };
    const meter = new BridgeMeter(() => ({ received: stats.received, forwarded, dropped: stats.dropped }), 9000, 0, () => kernel);
    for (let s = 1; s <= 12; s++) {
      stats.received += 100;
      forwarded += 10;
      meter.sample(s * 1000);
    }
    stats.dropped.malformed = 3;
    kernel = { drops: 540, source: 'system' };
    const c = meter.snapshot(12_000);
    // The window holds the last 10 samples (t = 3..12 s): 900 packets in 9 s.
    expect(c).toEqual({ received: 1200, receivedPerSecond: 100, forwarded: 120, forwardedPerSecond: 10, dropped: { malformed: 3 }, kernelDrops: 40, kernelDropsSource: 'system' });
  });

  it('reports a socket\'s own count as is, and nothing when it cannot know', () => {
    const stats = emptyStats();
    let kernel: KernelDrops = { drops: 0, source: 'socket' };
    const meter = new BridgeMeter(() => ({ received: 0, forwarded: 0, dropped: stats.dropped }), 9000, 0, () => kernel);
    kernel = { drops: 7, source: 'socket' };
    expect(meter.snapshot(0)).toMatchObject({ receivedPerSecond: 0, kernelDrops: 7, kernelDropsSource: 'socket' });
    kernel = { drops: null, source: 'none' };
    expect(meter.snapshot(0)).toMatchObject({ kernelDrops: null, kernelDropsSource: 'none' });
  });
});
