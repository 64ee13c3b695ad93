import { describe, expect, it } from 'vitest';
import type { LatentDirection } from '../../../src/core/latent/directions.ts';
import {
  FollowerSync, LeaderSync, TempoReporter, WalkLane, checkpointFromWire, checkpointToWire, encode, parseLeaderMessage,
  type LaneCheckpoint, type StampedChange,
} from '../../../src/core/screens/index.ts';
import { pulseValue, type BeatPulse } from '../../../src/core/tempo/pulse.ts';
import { stepTempo, Tempo, type TempoState } from '../../../src/core/tempo/tempo.ts';
import { role } from '../../support/screens/sim.ts';

/**
 * The tempo is lane state (screens protocol 3): the leader stamps its tempo when a beat, tap, clock or bpm corrects
 * it, every lane steps it per tick and computes the show's pulses on walk parameters itself. Checked: the pulse moves
 * at every tick, checkpoints and the wire carry the tempo exactly, lanes fed the same changes agree bit for bit, and a
 * join holds one change per correction where the 20 Hz pose reports made ~600 a pulsed parameter in 30 s.
 */
const SIZE = 8;
const RATE = 60;
const direction: LatentDirection = { name: 'd0', vector: new Float32Array(SIZE).map((_, i) => (i % 3) - 1), sigma: 0.7 };
const speedPulse: BeatPulse = { param: 'walk/speed', every: 'beat', range: [0.5, 2.5], attack: 0.02, decay: 0.15 };
const steerPulse: BeatPulse = { param: 'steer/0', every: 'bar', range: [0, 1.5], attack: 0.05, decay: 0.4 };
const gradePulse: BeatPulse = { param: 'grade/exposure', every: 'beat', range: [0, 0.5], attack: 0.01, decay: 0.2 };
const pulses = [speedPulse, steerPulse, gradePulse];
const initial = { 'tempo/bpm': 120 } as const;

const lane = (o: { checkpointTicks?: number } = {}): WalkLane =>
  new WalkLane({ size: SIZE, epoch: 0, tickRate: RATE, initial, directions: [direction], pulses, ...o });

const tempoAt = (beats: number, bpm = 120, pending = 0): TempoState => ({ beats, bpm, beatsPerBar: 4, pending, running: true });

function bits(a: Float32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');
}

describe('the tempo as screens lane state', () => {
  it('computes the walk pulses from the stamped tempo at every tick, not in 20 Hz steps', () => {
    const l = lane();
    // The leader's beat lands on tick 30 with 0.25 beats of correction still to glide in.
    l.schedule({ tick: 30, source: 'tempo', tempo: tempoAt(7.75, 132, 0.25) });
    const values: number[] = [];
    let expected = tempoAt(7.75, 132, 0.25);
    for (let k = 31; k <= 90; k++) {
      l.advanceTo(k);
      expected = stepTempo(expected, 1 / RATE);
      expect(l.tempo).toEqual(expected);
      // The value the walk read in the step just taken: the pulse at the tempo of tick k − 1.
      values.push(l.bus.layer('walk/speed', 'pose') as number);
    }
    // Every tick its own value while the envelope moves (a 20 Hz report holds each for three ticks).
    let steps = 0;
    for (let i = 1; i < values.length; i++) if (values[i] !== values[i - 1]) steps++;
    expect(steps).toBe(values.length - 1);
    // The pulse the lane applied is pulseValue at the lane's tempo, the beat's phase glided in as Tempo glides it.
    const before = stepTempo(expected, 0);
    l.advanceTo(91);
    expect(l.bus.layer('walk/speed', 'pose')).toBe(pulseValue(speedPulse, before));
    expect(l.bus.layer('steer/0', 'pose')).toBe(pulseValue(steerPulse, before));
    // A pulse on a parameter the walk does not read is each page's own: the lane leaves it alone.
    expect(l.bus.layer('grade/exposure', 'pose')).toBeUndefined();
    // The beat stands where 132 bpm and the slewed correction put it, 61 ticks on.
    expect(l.tempo.beats).toBeGreaterThan(7.75 + (61 / RATE) * (132 / 60));
    expect(l.tempo.beats).toBeLessThan(7.75 + 0.25 + (61 / RATE) * (132 / 60));
  });

  it('steps the tempo as the page\'s Tempo does, so a stamped state goes on where the leader\'s beat goes', () => {
    const t = new Tempo({ bpm: 100 });
    t.advance(0);
    t.advance(1);
    t.beat(1.21);
    t.advance(1.25);
    const l = lane();
    l.schedule({ tick: 75, source: 'tempo', tempo: t.state() });
    l.advanceTo(75 + 5 * RATE);
    t.advance(1.25 + 5);
    expect(l.tempo.beats).toBeCloseTo(t.beats, 9);
    expect(l.tempo.pending).toBeCloseTo(0, 9);
  });

  it('carries the tempo through a checkpoint and the wire, and a joiner walks on bit for bit', () => {
    const a = lane({ checkpointTicks: 120 });
    const changes: StampedChange[] = [
      { tick: 10, source: 'tempo', tempo: tempoAt(0.3, 118, 0.1) },
      { tick: 150, source: 'desk', name: 'walk/jitter', value: 0.4 },
      { tick: 200, source: 'tempo', tempo: tempoAt(5.0123456789, 96.5, -0.2) },
      { tick: 300, source: 'tempo', tempo: { beats: 9, bpm: 96.5, beatsPerBar: 3, pending: 0, running: false } },
      { tick: 330, source: 'tempo', tempo: { beats: 9, bpm: 96.5, beatsPerBar: 3, pending: 0, running: true } },
    ];
    for (const c of changes) a.schedule(c);
    a.advanceTo(250);
    const cp = a.checkpoint() as LaneCheckpoint;
    expect(cp.tick).toBe(240);
    expect(cp.tempo.bpm).toBe(96.5);
    // Exactly (the tempo is plain doubles, JSON keeps their bits), checked field by field.
    const wire = JSON.parse(JSON.stringify(checkpointToWire(cp))) as unknown;
    const back = checkpointFromWire(wire, SIZE);
    expect(back).toEqual({ ok: true, checkpoint: cp });
    // Through the protocol: the leader's full state with the checkpoint and the tempo changes after it.
    const text = encode({ type: 'screen-state', protocol: 3, leader: 'a', epoch: 0, tickRate: RATE, time: 250 / RATE, tick: 250, full: true, checkpoint: cp, changes: a.changesFrom(cp.tick), cue: null });
    const p = parseLeaderMessage(text, SIZE);
    if (!p.ok || p.message.type !== 'screen-state') throw new Error(p.ok ? 'not a state' : p.error);
    expect(p.message.changes).toEqual(a.changesFrom(cp.tick));
    const b = lane({ checkpointTicks: 120 });
    b.restoreFrom(p.message.checkpoint as LaneCheckpoint, p.message.changes);
    a.advanceTo(600);
    b.advanceTo(600);
    expect(b.tempo).toEqual(a.tempo);
    expect(bits(b.latent())).toBe(bits(a.latent()));
    // A stopped tempo held still from tick 300 to 330.
    expect(a.tempo.beats).toBeCloseTo(9 + (270 / RATE) * (96.5 / 60), 9);
    // A peer's tempo is checked like the rest: a bpm out of the catalogue's range is refused, naming the field.
    const bad = JSON.parse(JSON.stringify(checkpointToWire(cp))) as { tempo: { bpm: number } };
    bad.tempo.bpm = 1e6;
    expect(checkpointFromWire(bad, SIZE)).toEqual({ ok: false, error: 'checkpoint.tempo.bpm: expected a number from 20 to 300' });
    const badChange = text.replace('"changes":[[', '"changes":[[300,"t","tempo",{"beats":-1,"bpm":120,"beatsPerBar":4,"pending":0,"running":true}],[');
    expect(parseLeaderMessage(badChange, SIZE)).toMatchObject({ ok: false, error: 'screen-state.changes[0][3].beats: expected a number from 0 to 2^48' });
  });

  it('keeps two lanes fed the same tempo changes bit-identical, one of them late (a replay)', () => {
    const a = lane({ checkpointTicks: 200 });
    const b = lane({ checkpointTicks: 200 });
    const plain = new WalkLane({ size: SIZE, epoch: 0, tickRate: RATE, initial, directions: [direction], checkpointTicks: 200 });
    const changes: StampedChange[] = [];
    for (let i = 0; i < 12; i++) changes.push({ tick: 40 + i * 97, source: 'tempo', tempo: tempoAt(i * 3.7 + 0.01 * i, 90 + i * 7, (i % 3) * 0.1 - 0.1) });
    for (const c of changes) {
      a.schedule(c);
      plain.schedule(c);
    }
    for (let k = 0; k <= 1300; k += 13) {
      a.advanceTo(k);
      plain.advanceTo(k);
      b.advanceTo(k);
      // b hears each change a second late: it replays from its newest checkpoint before it.
      for (const c of changes) if (c.tick <= k - RATE && c.tick > k - RATE - 13) b.schedule(c);
    }
    a.advanceTo(1400);
    b.advanceTo(1400);
    plain.advanceTo(1400);
    expect(b.generation).toBeGreaterThan(0);
    expect(b.tempo).toEqual(a.tempo);
    expect(bits(b.latent())).toBe(bits(a.latent()));
    for (let k = 1400 - 200; k <= 1400; k += 10) expect(bits(b.latentAt(k) as Float32Array)).toBe(bits(a.latentAt(k) as Float32Array));
    // The pulses do move the walk (the same changes without the show's pulses walk elsewhere).
    expect(bits(plain.latent())).not.toBe(bits(a.latent()));
  });

  it('joins a pulsed show with one tempo change per correction, not ~20 pose values a second', () => {
    const INTERVAL = 60 * RATE;
    const leader = new LeaderSync({ screen: 'main', size: SIZE, epoch: 0, tickRate: RATE, initial, directions: [direction], pulses, checkpointTicks: INTERVAL });
    // The leading page: its Tempo hears the desk, the reporter sends it when corrected, its kiosk stamps it.
    const tempo = new Tempo({ bpm: 120 });
    let frameTime = 0;
    const reporter = new TempoReporter((s) => leader.tempo(s, frameTime));
    const corrections: number[] = [];
    for (let frame = 0; frame <= 150 * 60; frame++) {
      const t = frame / 60;
      frameTime = t;
      // Beats from the desk for five seconds at 2:05, a tap series at 2:15, a new bpm at 2:20.
      if (t >= 125 && t < 130 && frame % 30 === 0) {
        tempo.beat(t + 0.004);
        corrections.push(t);
      }
      if (t >= 135 && t < 137 && frame % 27 === 0) {
        tempo.tap(t);
        corrections.push(t);
      }
      if (frame === 140 * 60) {
        tempo.setBpm(100);
        corrections.push(t);
      }
      tempo.advance(t);
      reporter.frame(tempo, true);
      leader.advance(t);
    }
    expect(corrections.length).toBeGreaterThanOrEqual(14);
    const full = leader.full(150);
    if (full.type !== 'screen-state') throw new Error('not a state');
    expect(full.checkpoint?.tick).toBe(2 * INTERVAL);
    // Two and a half minutes, a pulse on walk/speed and on steer/0 throughout: only the corrections crossed.
    expect(full.changes.every((c) => c.source === 'tempo')).toBe(true);
    expect(full.changes).toHaveLength(corrections.length);
    expect(leader.lane.changes()).toHaveLength(corrections.length);
    // A whole interval of pulsing (1:00–2:00) without a correction logged nothing at all.
    expect(leader.lane.changes().filter((c) => c.tick < 2 * INTERVAL)).toHaveLength(0);
    const text = encode(full);
    expect(text.length).toBeLessThan(6000);
    // A follower joining through the wire walks the very same lane: latents and tempo bit for bit at a common tick.
    const follower = new FollowerSync({ role: role('b'), size: SIZE, initial, directions: [direction], pulses, checkpointTicks: INTERVAL });
    const p = parseLeaderMessage(text, SIZE);
    if (!p.ok) throw new Error(p.error);
    follower.receive(p.message, 150);
    const fl = follower.currentLane() as WalkLane;
    fl.advanceTo(150 * RATE);
    expect(leader.lane.tick).toBe(150 * RATE);
    expect(fl.tempo).toEqual(leader.lane.tempo);
    expect(bits(fl.latent())).toBe(bits(leader.lane.latent()));
    // The lane's beat is the page's (stamped 100 ms ahead, stepped on to that tick's time: rounding apart).
    expect(leader.lane.tempo.beats).toBeCloseTo(tempo.beats, 6);
  });
});
