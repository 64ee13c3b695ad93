import { describe, expect, it } from 'vitest';
import { runSoak } from './harness.ts';
import { judge } from './judge.ts';

/**
 * The short soak inside `npm test`: three minutes of the installation under desk traffic (with malformed packets),
 * with every fault injected once. `npm run soak -- --minutes N` runs the long one.
 */
describe('soak', () => {
  it('stays flat in tensors, textures and heap, and recovers from every injected fault', async () => {
    const report = await runSoak({ minutes: 3, sampleSeconds: 3, faults: true, log: (l) => console.log(l) });
    expect(report.faults.map((f) => f.fault)).toEqual([
      'webgl-context-loss',
      'camera-track-stopped',
      'broken-show-reload',
      'kiosk-server-and-bridge-killed',
      'browser-restart',
    ]);
    expect([...report.failures, ...judge(report)]).toEqual([]);
    expect(report.malformedPackets).toBeGreaterThan(0);
  }, 600_000);
});
