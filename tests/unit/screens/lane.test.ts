import OSC from 'osc-js';
import { describe, expect, it } from 'vitest';
import { WalkLane, encode, parseFollowerMessage, parseLeaderMessage, refusal, type StampedChange } from '../../../src/core/screens/index.ts';
import { deskChanges } from '../../../kiosk/screens/desk-changes.ts';

const SIZE = 24;
const script: StampedChange[] = [
  { tick: 30, source: 'desk', name: 'walk/mode', value: 'random' },
  { tick: 45, source: 'desk', name: 'walk/jitter', value: 0.5 },
  { tick: 90, source: 'cue', name: 'walk/speed', value: 2 },
  { tick: 150, source: 'desk', name: 'walk/seed', value: 5 },
  { tick: 200, source: 'cue', name: 'walk/speed', value: null },
];

function lane(): WalkLane {
  return new WalkLane({ size: SIZE, epoch: 100, initial: { 'walk/speed': 0.7 } });
}

describe('WalkLane', () => {
  it('holds the same latent at the same tick however the frames cut time (the random drift included)', () => {
    const a = lane();
    const b = lane();
    for (const c of script) {
      a.schedule(c);
      b.schedule(c);
    }
    a.advanceTo(300);
    for (let t = 0; t < 300; t += 7) b.advanceTo(Math.min(300, t + 7), 3);
    while (b.tick < 300) b.advanceTo(300, 5);
    expect(Array.from(b.latent())).toEqual(Array.from(a.latent()));
    // The cue's speed was released at tick 200: the show file's start value decides again.
    expect(a.bus.target('walk/speed')).toBe(0.7);
    expect(a.bus.owner('walk/speed')).toBe('show');
  });

  it('a change that arrives after its tick replays the log: the result is the on-time one, bit for bit', () => {
    const onTime = lane();
    for (const c of script) onTime.schedule(c);
    onTime.advanceTo(260);
    const late = lane();
    for (const c of script.slice(0, 3)) late.schedule(c);
    late.advanceTo(170);
    const gen = late.generation;
    late.schedule(script[3] as StampedChange); // tick 150 < 170: already walked past
    late.schedule(script[4] as StampedChange);
    late.advanceTo(260);
    expect(late.generation).toBe(gen + 1);
    expect(Array.from(late.latent())).toEqual(Array.from(onTime.latent()));
    // Without the late change the walk would differ: the check above can fail.
    const without = lane();
    for (const c of script.slice(0, 3)) without.schedule(c);
    without.advanceTo(260);
    expect(Array.from(without.latent())).not.toEqual(Array.from(onTime.latent()));
  });

  it('maps show time to ticks on the leader\'s clock and keeps a bounded history', () => {
    const l = new WalkLane({ size: SIZE, epoch: 10, historyTicks: 8 });
    expect(l.tickAt(10)).toBe(0);
    expect(l.tickAt(11)).toBe(60);
    expect(l.tickAt(9.99)).toBe(-1);
    l.advanceTo(20);
    expect(l.latentAt(20)).not.toBeNull();
    expect(l.latentAt(13)).not.toBeNull();
    expect(l.latentAt(12)).toBeNull();
    expect(Array.from(l.latentAt(20) ?? [])).toEqual(Array.from(l.latent()));
    expect(() => l.schedule({ tick: -1, source: 'desk', name: 'walk/seed', value: 1 })).toThrow(/tick must be a whole number ≥ 0/);
  });
});

describe('screens protocol', () => {
  it('round-trips state and hello through JSON', () => {
    const state = { type: 'screen-state', protocol: 3, leader: 'a', epoch: 5, tickRate: 60, time: 9, tick: 240, full: true, checkpoint: null, changes: script, cue: 2 } as const;
    const p = parseLeaderMessage(encode(state), SIZE);
    expect(p).toEqual({ ok: true, message: state });
    const hello = { type: 'screen-hello', protocol: 3, screen: 'b', epoch: null, tickRate: null, checkpoint: null, changes: [] } as const;
    expect(parseFollowerMessage(encode(hello), SIZE)).toEqual({ ok: true, message: hello });
  });

  it('refuses what a peer must not send, saying what is wrong', () => {
    const bad = (changes: unknown): string => {
      const p = parseLeaderMessage(JSON.stringify({ type: 'screen-state', protocol: 3, epoch: 0, tickRate: 60, time: 0, tick: 0, checkpoint: null, changes }), SIZE);
      return p.ok ? 'accepted' : p.error;
    };
    expect(bad([[1, 'd', 'walk/nonsense', 1]])).toBe('screen-state.changes[0][2]: expected a parameter name, got "walk/nonsense"');
    expect(bad([[1, 'd', 'walk/mode', 'sideways']])).toMatch(/^screen-state\.changes\[0\] walk\/mode: expected one of/);
    expect(bad([[-1, 'd', 'walk/seed', 1]])).toBe('screen-state.changes[0][0]: expected a tick from 0 to 2^48');
    // Stamped beyond any walk's reach, it would never be applied nor trimmed: in every log and join for ever.
    expect(bad([[1e300, 'd', 'walk/seed', 1]])).toBe('screen-state.changes[0][0]: expected a tick from 0 to 2^48');
    expect(bad([[2 ** 48, 'd', 'walk/seed', 1]])).toBe('accepted');
    // A state's tick is the leader's at its time: a walk whose epoch disagrees, or beyond exact ticks, is refused.
    const state = (o: Record<string, unknown>): string => {
      const p = parseLeaderMessage(JSON.stringify({ type: 'screen-state', protocol: 3, epoch: 0, tickRate: 60, time: 0, tick: 0, checkpoint: null, changes: [], ...o }), SIZE);
      return p.ok ? 'accepted' : p.error;
    };
    expect(state({ epoch: 100, time: 110, tick: 600 })).toBe('accepted');
    expect(state({ epoch: -1e300, time: 110, tick: 600 })).toBe('screen-state.tick: expected the tick of time − epoch (0 to 2^48), got 600');
    expect(state({ epoch: -1e300, time: 110, tick: 6e301 })).toMatch(/^screen-state\.tick: /);
    expect(state({ epoch: 100, time: 110, tick: -1 })).toMatch(/^screen-state\.tick: /);
    expect(state({ epoch: 100, time: 110, tick: 600.5 })).toMatch(/^screen-state\.tick: /);
    expect(bad([[1, 'x', 'walk/seed', 1]])).toBe('screen-state.changes[0][1]: expected "d", "c", "p" or "t"');
    // Another protocol version is marked as such (the kiosk says it once per connection and tells the peer).
    expect(parseFollowerMessage('{"type":"screen-hello","protocol":1}', SIZE)).toEqual({ ok: false, error: 'screen-hello: protocol 1, this kiosk speaks 3', mismatch: true });
    expect(parseLeaderMessage('{"type":"screen-state","protocol":1}', SIZE)).toEqual({ ok: false, error: 'screen-state: protocol 1, this kiosk speaks 3', mismatch: true });
    expect(parseLeaderMessage(encode(refusal('screen-hello: protocol 1, this kiosk speaks 3')), SIZE)).toEqual({
      ok: true, message: { type: 'screen-refused', protocol: 3, reason: 'refused by the leader: screen-hello: protocol 1, this kiosk speaks 3; run the same Sitter on every screen' },
    });
    expect(parseFollowerMessage('[1]', SIZE)).toEqual({ ok: false, error: 'expected an object' });
    // Version 2 always says where the changes start: a state without its checkpoint field is not one.
    expect(parseLeaderMessage(JSON.stringify({ type: 'screen-state', protocol: 3, epoch: 0, tickRate: 60, time: 0, tick: 0, full: true, changes: [] }), SIZE))
      .toEqual({ ok: false, error: 'screen-state.checkpoint: expected a checkpoint or null' });
    // A tick rate no lane can run is refused here, not thrown later by the lane inside a socket handler.
    expect(parseLeaderMessage(JSON.stringify({ type: 'screen-state', protocol: 3, epoch: 0, tickRate: 5000, time: 0, tick: 0, checkpoint: null, changes: [] }), SIZE).ok).toBe(false);
    expect(parseFollowerMessage(JSON.stringify({ type: 'screen-hello', protocol: 3, screen: 'b', epoch: 0, tickRate: 5000, checkpoint: null, changes: [] }), SIZE).ok).toBe(false);
  });
});

describe('deskChanges (the leader hears the desk as the page does)', () => {
  const packet = (address: string, ...args: Array<[string, unknown]>): Uint8Array => {
    const m = new OSC.TypedMessage(address, []);
    for (const [t, v] of args) m.add(t as never, v as never);
    return m.pack();
  };

  it('reads parameter and norm addresses, inside bundles too; leaves commands and unknown names to the page', () => {
    expect(deskChanges(packet('/sitter/walk/seed', ['i', 7]))).toEqual([{ name: 'walk/seed', value: 7 }]);
    expect(deskChanges(packet('/sitter/walk/mode', ['s', 'loop']))).toEqual([{ name: 'walk/mode', value: 'loop' }]);
    const norm = deskChanges(packet('/sitter/norm/walk/jitter', ['f', 0.5]));
    expect(norm).toHaveLength(1);
    expect(norm[0]?.name).toBe('walk/jitter');
    expect(deskChanges(packet('/sitter/cue/go'))).toEqual([]);
    expect(deskChanges(packet('/sitter/walk/nonsense', ['f', 1]))).toEqual([]);
    expect(deskChanges(packet('/other/walk/seed', ['i', 1]))).toEqual([]);
    const bundle = new OSC.Bundle([new OSC.Message('/sitter/walk/speed', 1.5), new OSC.Message('/sitter/walk/seed', 3)]).pack();
    expect(deskChanges(bundle).map((c) => c.name)).toEqual(['walk/speed', 'walk/seed']);
  });
});
