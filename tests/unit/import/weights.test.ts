import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { NamedTensor } from '../../../src/core/stylegan/network.ts';
import { encodeWeights, float32ToHalfBits } from '../../../tools/import/weights.ts';

describe('TF.js weight shards written by hand', () => {
  it('splits at the shard size, tensors straddling shard boundaries, and tfjs decodes them back', () => {
    const tensors = new Map<string, NamedTensor>([
      ['a.weight', { shape: [10, 30], data: Float32Array.from({ length: 300 }, (_, i) => i * 0.5 - 7) }],
      ['a.bias', { shape: [], data: Float32Array.of(3.25) }],
      ['b.weight', { shape: [7, 11], data: Float32Array.from({ length: 77 }, (_, i) => Math.sin(i)) }],
    ]);
    const enc = encodeWeights(tensors, { shardBytes: 500 });
    expect(enc.totalBytes).toBe((300 + 1 + 77) * 4);
    expect(enc.shards.map((s) => s.bytes.length)).toEqual([500, 500, 500, 12]);
    expect(enc.manifest[0]?.paths).toEqual(['weights-1.bin', 'weights-2.bin', 'weights-3.bin', 'weights-4.bin']);
    const all = new Uint8Array(enc.totalBytes);
    let o = 0;
    for (const s of enc.shards) {
      all.set(s.bytes, o);
      o += s.bytes.length;
    }
    const decoded = tf.io.decodeWeights(all.buffer, enc.manifest[0]?.weights as tf.io.WeightsManifestEntry[]);
    for (const [name, t] of tensors) {
      expect(decoded[name]?.shape).toEqual(t.shape);
      expect(Array.from(decoded[name]?.dataSync() ?? [])).toEqual(Array.from(t.data));
    }
    tf.dispose(Object.values(decoded));
  });

  it('float32 → float16 rounds to nearest even, with subnormals and overflow', () => {
    expect(float32ToHalfBits(1)).toBe(0x3c00);
    expect(float32ToHalfBits(-2)).toBe(0xc000);
    expect(float32ToHalfBits(65504)).toBe(0x7bff);
    expect(float32ToHalfBits(65520)).toBe(0x7c00); // halfway to the next binade rounds up to Infinity
    expect(float32ToHalfBits(0.1)).toBe(0x2e66);
    expect(float32ToHalfBits(2 ** -24)).toBe(0x0001); // smallest subnormal
    expect(float32ToHalfBits(2 ** -25)).toBe(0x0000); // exactly half of it: ties to even (0)
    expect(float32ToHalfBits(3 * 2 ** -25)).toBe(0x0002); // 1.5 ulps: ties to even (2)
    expect(float32ToHalfBits(1 + 2 ** -11)).toBe(0x3c00); // tie between 1 and 1+2^-10: even is 1
    expect(float32ToHalfBits(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(float32ToHalfBits(-0)).toBe(0x8000);
    expect(float32ToHalfBits(Number.NaN) & 0x7c00).toBe(0x7c00);
    expect(float32ToHalfBits(Number.NaN) & 0x3ff).not.toBe(0);
  });
});
