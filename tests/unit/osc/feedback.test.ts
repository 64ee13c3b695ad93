import { describe, expect, it } from 'vitest';
import { ParameterBus } from '../../../src/core/params/bus.ts';
import { PARAMS } from '../../../src/core/params/catalogue.ts';
import { EchoGuard } from '../../../src/core/osc/echo-guard.ts';
import { Feedback } from '../../../src/core/osc/feedback.ts';
import { OscRouter } from '../../../src/core/osc/router.ts';
import type { OscMessage, OscOutMessage } from '../../../src/core/osc/types.ts';

const m = (address: string, types: string, ...args: unknown[]): OscMessage => ({ address, types, args });
const addresses = (out: readonly OscOutMessage[]): string[] => out.map((o) => o.address);

function setup(): { bus: ParameterBus; router: OscRouter; feedback: Feedback } {
  const bus = new ParameterBus(PARAMS);
  const guard = new EchoGuard(300);
  const router = new OscRouter({ bus, echoGuard: guard });
  const feedback = new Feedback({ specs: PARAMS, echoGuard: guard, intervalMs: 50, statusIntervalMs: 250 });
  feedback.attach(bus);
  return { bus, router, feedback };
}

describe('feedback', () => {
  it('sends a bus change in both forms, typed for desks', () => {
    const { bus, feedback } = setup();
    bus.set('walk/speed', 2, 'cue');
    bus.set('hud/visible', true, 'cue');
    bus.set('walk/mode', 'loop', 'cue');
    const out = feedback.tick(0);
    expect(out).toEqual([
      { address: '/sitter/walk/speed', args: [{ type: 'f', value: 2 }] },
      { address: '/sitter/norm/walk/speed', args: [{ type: 'f', value: 0.5 }] },
      { address: '/sitter/hud/visible', args: [{ type: 'i', value: 1 }] },
      { address: '/sitter/norm/hud/visible', args: [{ type: 'f', value: 1 }] },
      { address: '/sitter/walk/mode', args: [{ type: 's', value: 'loop' }] },
      { address: '/sitter/norm/walk/mode', args: [{ type: 'f', value: 0.2 }] },
    ]);
    expect(feedback.tick(1)).toEqual([]);
  });

  it('throttles one parameter to its interval and always sends the last value', () => {
    const { bus, feedback } = setup();
    const sent: number[] = [];
    for (let t = 0; t <= 200; t += 5) {
      bus.set('grain/amount', t / 1000, 'cue');
      for (const o of feedback.tick(t)) if (o.address === '/sitter/grain/amount') sent.push(o.args[0]?.value as number);
    }
    // 201 ms at one change per 5 ms: at most one message per 50 ms, the last one carrying the final value.
    expect(sent.length).toBeLessThanOrEqual(5);
    for (const o of feedback.tick(400)) if (o.address === '/sitter/grain/amount') sent.push(o.args[0]?.value as number);
    expect(sent.at(-1)).toBe(0.2);
  });

  it('sends status values (fps, presence, current cue) at the slower status rate', () => {
    const { bus, feedback } = setup();
    const seen: string[] = [];
    for (let t = 0; t < 1000; t += 16) {
      bus.report('status/fps', 50 + (t % 7));
      seen.push(...addresses(feedback.tick(t)));
    }
    expect(seen.filter((a) => a === '/sitter/status/fps').length).toBeLessThanOrEqual(5);
    expect(seen).not.toContain('/sitter/norm/status/fps');
    bus.report('status/presence', true);
    bus.report('status/cue', 3);
    const later = feedback.tick(5000);
    expect(later).toContainEqual({ address: '/sitter/status/presence', args: [{ type: 'i', value: 1 }] });
    expect(later).toContainEqual({ address: '/sitter/status/cue', args: [{ type: 'i', value: 3 }] });
  });

  it('never bounces a desk fader back while it moves, nor after when the desk already shows the value', () => {
    const { router, feedback } = setup();
    const out: string[] = [];
    for (let t = 0; t <= 1000; t += 20) {
      router.receive(m('/sitter/norm/walk/speed', 'f', t / 1000), t);
      router.flush(t);
      out.push(...addresses(feedback.tick(t)));
    }
    expect(out).toEqual([]);
    // Let go: the unit form (which this desk did not send) follows once; the norm form it sent is not echoed.
    const after = feedback.tick(1400);
    expect(after).toEqual([{ address: '/sitter/walk/speed', args: [{ type: 'f', value: 4 }] }]);
    expect(feedback.tick(2000)).toEqual([]);
  });

  it('corrects the desk after it lets go when its value was clamped', () => {
    const { bus, router, feedback } = setup();
    router.receive(m('/sitter/walk/speed', 'f', 9), 0);
    router.flush(0);
    expect(feedback.tick(10)).toEqual([]);
    const after = feedback.tick(400);
    expect(after[0]).toEqual({ address: '/sitter/walk/speed', args: [{ type: 'f', value: 4 }] });
    expect(bus.target('walk/speed')).toBe(4);
  });

  it('echoes a value the desk sent once another source moved it away and back', () => {
    const { bus, router, feedback } = setup();
    router.receive(m('/sitter/grain/amount', 'f', 0.5), 0);
    router.flush(0);
    feedback.tick(1000);
    bus.release('grain/amount', 'desk');
    expect(addresses(feedback.tick(1100))).toContain('/sitter/grain/amount');
    bus.set('grain/amount', 0.5, 'desk');
    expect(feedback.tick(1200)[0]).toEqual({ address: '/sitter/grain/amount', args: [{ type: 'f', value: 0.5 }] });
  });

  it('bounds messages per tick and sends the rest next tick', () => {
    const bus = new ParameterBus(PARAMS);
    const feedback = new Feedback({ specs: PARAMS, maxPerTick: 4, forms: ['unit'] });
    feedback.attach(bus);
    for (let i = 0; i < 8; i++) bus.set(`steer/${i}`, 1, 'cue');
    expect(feedback.tick(0)).toHaveLength(4);
    expect(feedback.tick(1)).toHaveLength(4);
    expect(feedback.pendingCount).toBe(0);
  });

  it('dumps every value for a desk that just connected', () => {
    const bus = new ParameterBus(PARAMS);
    const feedback = new Feedback({ specs: PARAMS });
    const all = feedback.full(bus.snapshot());
    expect(all.length).toBe(PARAMS.length + PARAMS.filter((s) => s.access === 'rw' && s.type !== 'vec').length);
  });
});

describe('feedback fairness', () => {
  it('does not starve a parameter when others change every tick', () => {
    const bus = new ParameterBus(PARAMS);
    const feedback = new Feedback({ specs: PARAMS, maxPerTick: 4, forms: ['unit'], intervalMs: 0 });
    feedback.attach(bus);
    const seen = new Set<string>();
    for (let i = 0; i < 8; i++) bus.set(`steer/${i}`, 1, 'cue');
    feedback.tick(0);
    bus.set('grade/tint', 0.5, 'cue');
    for (let t = 1; t < 10; t++) {
      for (let i = 0; i < 8; i++) bus.set(`steer/${i}`, (t % 2) + i / 10, 'cue');
      for (const o of feedback.tick(t)) seen.add(o.address);
    }
    expect(seen.has('/sitter/grade/tint')).toBe(true);
  });
});
