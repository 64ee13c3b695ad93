import { describe, expect, it } from 'vitest';
import { PageLayerGate, TempoGate, type LayerChange } from '../../../kiosk/screens/page-layers.ts';
import { parsePageMessage } from '../../../src/core/osc/ws-protocol.ts';
import type { PageLayersReport } from '../../../kiosk/bridge/options.ts';

/** A page socket text frame as the bridge hands it on (kiosk/bridge/bridge.ts): shape-checked, or refused whole. */
function report(text: string): PageLayersReport {
  const p = parsePageMessage(text);
  if (!p.ok) return { ok: false, error: p.error };
  if (p.message.type !== 'layers') throw new Error('not a layers message');
  return { ok: true, source: p.message.source, values: p.message.values };
}

const layers = (source: string, values: unknown): string => JSON.stringify({ type: 'layers', source, values });

describe('PageLayerGate: the leader kiosk holds its page\'s layer reports to 20/s per parameter', () => {
  it('a page flooding 1000 reports a second of one parameter for 3 s puts ≤ 20/s into the lane, the final value last', () => {
    const gate = new PageLayerGate();
    const lane: Array<LayerChange & { at: number }> = [];
    let final = 0;
    for (let ms = 0; ms < 3000; ms++) {
      final = 0.2 + (ms % 997) / 997;
      for (const c of gate.offer(report(layers('cue', { 'walk/truncation': final })), ms).now) lane.push({ ...c, at: ms });
      for (const c of gate.due(ms)) lane.push({ ...c, at: ms });
    }
    // The timer's turn after the flood: the trailing value comes out.
    const next = gate.nextDueMs();
    expect(next).not.toBeNull();
    for (const c of gate.due(next as number)) lane.push({ ...c, at: next as number });
    expect(gate.nextDueMs()).toBeNull();
    expect(lane.length).toBeLessThanOrEqual(3 * 20 + 1);
    expect(lane.length).toBeGreaterThanOrEqual(3 * 20 - 1);
    for (let i = 1; i < lane.length; i++) expect((lane[i]?.at ?? 0) - (lane[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(50);
    expect(lane.at(-1)?.value).toBeCloseTo(final, 12);
    expect(gate.counts.stamped).toBe(lane.length);
    expect(gate.counts.reports).toBe(3000);
    expect(gate.counts.coalesced).toBe(3000 - lane.length);
  });

  it('limits each layer and parameter on its own: one busy parameter never delays another', () => {
    const gate = new PageLayerGate();
    expect(gate.offer(report(layers('cue', { 'walk/speed': 1 })), 0).now).toHaveLength(1);
    expect(gate.offer(report(layers('cue', { 'walk/speed': 2, 'walk/truncation': 0.5 })), 10).now).toEqual([{ source: 'cue', name: 'walk/truncation', value: 0.5 }]);
    expect(gate.offer(report(layers('pose', { 'walk/speed': 3 })), 20).now).toEqual([{ source: 'pose', name: 'walk/speed', value: 3 }]);
    expect(gate.due(49)).toEqual([]);
    expect(gate.due(50)).toEqual([{ source: 'cue', name: 'walk/speed', value: 2 }]);
  });

  it('a release (null) is a value like any other: held, and never lost behind a newer one', () => {
    const gate = new PageLayerGate();
    gate.offer(report(layers('cue', { 'walk/speed': 1 })), 0);
    gate.offer(report(layers('cue', { 'walk/speed': null })), 5);
    expect(gate.due(50)).toEqual([{ source: 'cue', name: 'walk/speed', value: null }]);
  });

  it('malformed reports are dropped and counted by reason; nothing reaches the lane; good values beside bad ones pass', () => {
    const gate = new PageLayerGate();
    const hostile: readonly string[] = [
      'not json',
      '[1,2,3]',
      '"layers"',
      'null',
      JSON.stringify({ type: 'layers', source: 'desk', values: { 'walk/speed': 1 } }),
      JSON.stringify({ type: 'layers', source: 'cue', values: [1, 2] }),
      JSON.stringify({ type: 'layers', source: 'cue', values: 'walk/speed' }),
      JSON.stringify({ type: 'layers', source: 'cue' }),
      layers('cue', { 'walk/speed': { nested: 1 } }),
      layers('pose', { 'walk/speed': Array.from({ length: 100_000 }, () => 1) }),
      // JSON has no NaN or Infinity, but 1e999 parses to Infinity.
      '{"type":"layers","source":"cue","values":{"walk/speed":1e999}}',
      '{"type":"layers","source":"cue","values":{"walk/speed":-1e999}}',
    ];
    const before = gate.counts.dropped.malformed;
    for (const text of hostile) {
      const p = parsePageMessage(text);
      // Not a layers message at all: the bridge logs it (osc-page-message) and never hands it on.
      if (!p.ok && p.type !== 'layers') continue;
      expect(gate.offer(report(text), 0).now).toEqual([]);
    }
    expect(gate.counts.dropped.malformed - before).toBe(8);

    const mixed = gate.offer(report(layers('cue', {
      'walk/nonsense': 1, ['x'.repeat(10_000)]: 1, 'tempo/current-bpm': 100, 'status/fps': 60,
      'walk/mode': 'sideways', 'walk/speed': 'fast', 'walk/truncation': [0.1, 0.2], 'walk/seed': true,
      'walk/keyframe-seconds': 1e300, 'walk/blend-seconds': 3,
    })), 1000);
    expect(gate.counts.dropped).toMatchObject({ 'unknown-name': 2, 'read-only': 2, 'wrong-value': 3 });
    expect(mixed.refused.map((r) => r.reason).sort()).toEqual(['read-only', 'read-only', 'unknown-name', 'unknown-name', 'wrong-value', 'wrong-value', 'wrong-value']);
    // An unknown name is logged cut short, not 10 kB at a time.
    expect(Math.max(...mixed.refused.map((r) => r.detail.length))).toBeLessThan(200);
    // In range and known: through, clamped to the catalogue's bounds as the desk path clamps.
    expect(mixed.now).toEqual(expect.arrayContaining([
      { source: 'cue', name: 'walk/keyframe-seconds', value: 300 },
      { source: 'cue', name: 'walk/blend-seconds', value: 3 },
    ]));
    expect(gate.counts.clamped).toBe(1);
  });

  it('a clock that went back does not hold a parameter still', () => {
    const gate = new PageLayerGate();
    gate.offer(report(layers('cue', { 'walk/speed': 1 })), 10_000);
    expect(gate.offer(report(layers('cue', { 'walk/speed': 2 })), 5).now).toHaveLength(1);
  });
});

describe('TempoGate (the leading page\'s tempo reports, held to 20 a second)', () => {
  const tempo = (beats: number) => ({ beats, bpm: 120, beatsPerBar: 4, pending: 0, running: true });

  it('stamps one at once, holds the newest after it until its turn, each with the time it arrived', () => {
    const gate = new TempoGate();
    gate.offer(tempo(1), 100.0);
    expect(gate.due(0)).toEqual({ tempo: tempo(1), at: 100.0 });
    gate.offer(tempo(2), 100.01);
    gate.offer(tempo(3), 100.02);
    expect(gate.due(20)).toBeNull();
    expect(gate.nextDueMs()).toBe(50);
    expect(gate.due(50)).toEqual({ tempo: tempo(3), at: 100.02 });
    expect(gate.nextDueMs()).toBeNull();
    expect(gate.counts).toEqual({ reports: 3, stamped: 2, coalesced: 1 });
  });

  it('reads a page\'s tempo message checked field by field, refusing a bpm out of range', () => {
    expect(parsePageMessage(JSON.stringify({ type: 'tempo', tempo: tempo(3.5) }))).toEqual({ ok: true, message: { type: 'tempo', tempo: tempo(3.5) } });
    expect(parsePageMessage(JSON.stringify({ type: 'tempo', tempo: { ...tempo(1), bpm: 9000 } }))).toMatchObject({ ok: false, error: 'tempo.tempo.bpm: expected a number from 20 to 300' });
    expect(parsePageMessage(JSON.stringify({ type: 'tempo', tempo: { ...tempo(1), running: 'yes' } }))).toMatchObject({ ok: false, error: 'tempo.tempo.running: expected true or false' });
  });
});
