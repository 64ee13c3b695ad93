import { describe, expect, it } from 'vitest';
import type { SoakReport, SoakSample } from '../../soak/harness.ts';
import { judge } from '../../soak/judge.ts';

const sample = (seconds: number): SoakSample => ({ seconds, tensors: 20, tensorMB: 1.2, heapMB: 19, textures: 6, fps: 5, frames: seconds * 5, phase: 'running' });

function report(overrides: Partial<SoakReport> = {}): SoakReport {
  return {
    minutes: 15,
    samples: [0, 60, 120, 180, 240].map(sample),
    faults: [],
    slopes: { tensorsPerMinute: 0, tensorMBPerMinute: 0, heapMBPerMinute: 0.05, texturesPerMinute: 0 },
    ranges: { tensors: [19, 21], tensorMB: [1.2, 1.3], textures: [6, 6], heapMB: [18.45, 19.4] },
    deskPackets: 1000,
    malformedPackets: 200,
    failures: [],
    ...overrides,
  };
}

describe('soak judge', () => {
  it('passes the flat figures of the 15-minute soak in tests/README.md', () => {
    expect(judge(report())).toEqual([]);
  });

  it('names each kind of growth', () => {
    expect(judge(report({ ranges: { tensors: [19, 40], tensorMB: [1.2, 1.3], textures: [6, 6], heapMB: [18, 19] } }))[0]).toMatch(/^tensors ranged 19\.\.40/);
    expect(judge(report({ ranges: { tensors: [19, 21], tensorMB: [1.2, 1.3], textures: [6, 30], heapMB: [18, 19] } }))[0]).toMatch(/^textures ranged 6\.\.30/);
    const bytes = judge(report({
      slopes: { tensorsPerMinute: 0, tensorMBPerMinute: 2, heapMBPerMinute: 0, texturesPerMinute: 0 },
      ranges: { tensors: [19, 21], tensorMB: [1.2, 31], textures: [6, 6], heapMB: [18, 19] },
    }));
    expect(bytes).toEqual(['tensor memory grew 1.2..31 MB (slope 2.00 MB/min)']);
    const heap = judge(report({
      slopes: { tensorsPerMinute: 0, tensorMBPerMinute: 0, heapMBPerMinute: 1.5, texturesPerMinute: 0 },
      ranges: { tensors: [19, 21], tensorMB: [1.2, 1.3], textures: [6, 6], heapMB: [18, 40] },
    }));
    expect(heap).toEqual(['heap grew 18..40 MB (slope 1.50 MB/min)']);
  });

  it('lets the heap wander when it does not climb, and refuses a soak with too few samples', () => {
    expect(judge(report({ ranges: { tensors: [19, 21], tensorMB: [1.2, 1.3], textures: [6, 6], heapMB: [18, 30] } }))).toEqual([]);
    expect(judge(report({ samples: [sample(0)] }))).toEqual(['only 1 samples']);
  });
});
