import { describe, expect, it } from 'vitest';
import { DIRECTIONS_FORMAT, directionsToJson, parseDirections, parseDirectionsText } from '../../../src/core/latent/directions.ts';
import { randomDirections } from './helpers.ts';

function valid(): Record<string, unknown> {
  return directionsToJson({
    latentSize: 128,
    provenance: { model: 'default', method: 'ganspace-pca', layer: 'g_act0', samples: 2000, seed: 1, weightsSha256: 'ab12' },
    directions: randomDirections(3),
  });
}

describe('directions.json', () => {
  it('round-trips through JSON text', () => {
    const text = JSON.stringify(valid());
    const r = parseDirections(JSON.parse(text), 128);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.directions.map((d) => d.name)).toEqual(['d0', 'd1', 'd2']);
    expect(r.value.directions[1]!.vector).toEqual(randomDirections(3)[1]!.vector);
    expect(r.value.provenance.layer).toBe('g_act0');
    expect(r.value.provenance.weightsSha256).toBe('ab12');
  });

  it('says where and what is wrong', () => {
    const j = valid();
    const dirs = j.directions as Record<string, unknown>[];
    (dirs[0] as Record<string, unknown>).vector = [1, 0];
    (dirs[1] as Record<string, unknown>).sigma = -1;
    (dirs[2] as Record<string, unknown>).name = 'd1';
    const r = parseDirections(j, 128);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      'directions[0].vector: expected 128 numbers, got an array of 2',
      'directions[1].sigma: expected a number > 0, got -1',
      'directions[2].name: "d1" is used twice',
    ]);
  });

  it('refuses vectors that are not unit length, non-finite numbers, and a size the model does not have', () => {
    const j = valid();
    const d0 = (j.directions as Record<string, unknown>[])[0] as Record<string, unknown>;
    d0.vector = (d0.vector as number[]).map((x) => x * 2);
    expect(parseDirections(j, 128)).toEqual({ ok: false, errors: ['directions[0].vector: expected a unit vector, got length 2.00000'] });
    (d0.vector as unknown[])[5] = 'x';
    expect(parseDirections(j).ok).toBe(false);
    const k = valid();
    expect(parseDirections(k, 512)).toEqual({ ok: false, errors: ['latentSize: the model\'s latent has 512 numbers, got 128'] });
  });

  it('requires the format tag and provenance', () => {
    const j = valid();
    j.format = 'something-else';
    j.provenance = { method: 'manual' };
    const r = parseDirections(j);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([`format: expected "${DIRECTIONS_FORMAT}", got "something-else"`, 'provenance.model: expected a non-empty string, got undefined']);
    expect(parseDirections(null)).toEqual({ ok: false, errors: ['directions.json: expected an object, got null'] });
  });

  it('reads a file\'s text, turning a JSON syntax error into an ordinary error', () => {
    const r = parseDirectionsText('{"format": ');
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.errors[0]).toMatch(/^directions\.json: not valid JSON \(/);
    expect(parseDirectionsText('null')).toEqual(parseDirections(null));
  });
});
