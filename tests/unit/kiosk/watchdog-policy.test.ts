import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, WatchdogPolicy, type WatchdogLimits } from '../../../kiosk/watchdog/policy.ts';
import { parseVitals } from '../../../kiosk/server/vitals.ts';

const limits: WatchdogLimits = { ...DEFAULT_LIMITS, heartbeatTimeout: 10, bootGrace: 30, minFps: 5, lowFpsSeconds: 20, maxRestarts: 2, restartWindow: 600 };
const healthy = parseVitals({ fps: 60, tensors: 40, heapBytes: 100 * 2 ** 20, phase: 'running' });

function beatEverySecond(p: WatchdogPolicy, from: number, to: number, vitals = healthy): void {
  for (let t = from; t <= to; t++) p.heartbeat(vitals, t);
}

describe('WatchdogPolicy', () => {
  it('leaves a healthy page alone, for a simulated day', () => {
    const p = new WatchdogPolicy(limits);
    p.started(0);
    for (let t = 1; t < 86_400; t++) {
      p.heartbeat(healthy, t);
      expect(p.check(t).action).toBe('ok');
    }
  });

  it('gives a booting page its grace, then restarts when heartbeats never come', () => {
    const p = new WatchdogPolicy(limits);
    p.started(0);
    expect(p.check(29).action).toBe('ok');
    const v = p.check(30);
    expect(v).toMatchObject({ action: 'restart', cause: 'heartbeat-lost' });
  });

  it('restarts when heartbeats stop after the page ran', () => {
    const p = new WatchdogPolicy(limits);
    p.started(0);
    beatEverySecond(p, 1, 100);
    expect(p.check(109).action).toBe('ok');
    expect(p.alive(109)).toBe(true);
    expect(p.check(110)).toMatchObject({ action: 'restart', cause: 'heartbeat-lost' });
    expect(p.alive(110)).toBe(false);
  });

  it('restarts on sustained low fps only, not on a dip', () => {
    const p = new WatchdogPolicy(limits);
    p.started(0);
    beatEverySecond(p, 1, 40);
    const slow = parseVitals({ ...healthy, fps: 2 });
    beatEverySecond(p, 41, 55, slow);
    expect(p.check(55).action).toBe('ok');
    beatEverySecond(p, 56, 57);
    beatEverySecond(p, 58, 77, slow);
    expect(p.check(77).action).toBe('ok');
    p.heartbeat(slow, 78);
    expect(p.check(78)).toMatchObject({ action: 'restart', cause: 'low-fps' });
  });

  it('restarts at the heap and tensor limits', () => {
    const p = new WatchdogPolicy({ ...limits, maxHeapMB: 500, maxTensors: 1000 });
    p.started(0);
    p.heartbeat(parseVitals({ ...healthy, heapBytes: 600 * 2 ** 20 }), 5);
    expect(p.check(5)).toMatchObject({ action: 'restart', cause: 'heap-limit' });
    p.started(6);
    p.heartbeat(parseVitals({ ...healthy, tensors: 1001 }), 7);
    expect(p.check(7)).toMatchObject({ action: 'restart', cause: 'tensor-limit' });
  });

  it('rate-limits restarts so a broken page cannot cause a restart loop', () => {
    const p = new WatchdogPolicy(limits);
    const causes: string[] = [];
    let t = 0;
    p.started(t);
    for (; t < 2000; t++) {
      const v = p.check(t);
      causes.push(v.action);
      if (v.action === 'restart') p.started(t);
    }
    // 2 per 600 s window over 2000 s of a page that never beats: at most 2 × ceil(2000/600) = 8.
    const restarts = causes.filter((c) => c === 'restart').length;
    expect(restarts).toBeGreaterThanOrEqual(4);
    expect(restarts).toBeLessThanOrEqual(8);
    expect(causes).toContain('hold');
  });

  it('restarts once a day at the set time', () => {
    const p = new WatchdogPolicy({ ...limits, dailyRestart: '03:00' });
    p.started(0, 0);
    beatEverySecond(p, 1, 10);
    expect(p.check(10, 3 * 60 - 1, 1).action).toBe('ok');
    expect(p.check(10, 3 * 60, 1)).toMatchObject({ action: 'restart', cause: 'daily' });
    p.started(11, 1);
    p.heartbeat(healthy, 12);
    expect(p.check(12, 3 * 60 + 1, 1).action).toBe('ok');
    expect(p.check(12, 3 * 60 + 1, 2)).toMatchObject({ action: 'restart', cause: 'daily' });
  });

  it('reads garbage heartbeats as defaults instead of throwing', () => {
    expect(parseVitals('nope').fps).toBe(0);
    expect(parseVitals({ fps: 'fast', backend: 42 })).toMatchObject({ fps: 0, backend: 'none' });
  });
});
