import type { NamedTensor } from '../../src/core/stylegan/network.ts';

/**
 * TF.js weight shards written by hand (no tfjs in Node): `weights.json` is a `tf.io.WeightsManifestConfig` — one
 * group whose `paths` are the shard files and whose `weights` list every tensor in order, its bytes following the
 * previous one's across shard boundaries, as tfjs's loader concatenates a group's shards before slicing
 * (tfjs-core io/weights_loader.ts, io/io_utils.ts decodeWeights).
 */
export interface WeightEntry {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: 'float32';
  /** float16 storage, decoded to float32 by tfjs at load (io_utils decodeWeights' 'float16' branch). */
  readonly quantization?: { readonly dtype: 'float16' };
}

export interface WeightsManifestGroup {
  readonly paths: readonly string[];
  readonly weights: readonly WeightEntry[];
}

/** The tfjs converter's default shard size; small enough for any static server or cache. */
export const SHARD_BYTES = 4 * 1024 * 1024;

export interface EncodedWeights {
  readonly manifest: WeightsManifestGroup[];
  readonly shards: { readonly path: string; readonly bytes: Uint8Array }[];
  readonly totalBytes: number;
}

/**
 * Encodes tensors (state_dict order kept) into shards of at most `shardBytes`. `float16(name)` says which tensors
 * are stored as float16.
 */
export function encodeWeights(
  tensors: ReadonlyMap<string, NamedTensor>,
  options: { float16?: (name: string) => boolean; shardBytes?: number } = {},
): EncodedWeights {
  const shardBytes = options.shardBytes ?? SHARD_BYTES;
  const entries: WeightEntry[] = [];
  const parts: Uint8Array[] = [];
  let total = 0;
  for (const [name, t] of tensors) {
    const half = options.float16?.(name) ?? false;
    const bytes = half ? encodeFloat16(t.data) : new Uint8Array(t.data.buffer.slice(t.data.byteOffset, t.data.byteOffset + t.data.byteLength));
    entries.push({ name, shape: [...t.shape], dtype: 'float32', ...(half ? { quantization: { dtype: 'float16' as const } } : {}) });
    parts.push(bytes);
    total += bytes.length;
  }
  const all = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  const count = Math.max(1, Math.ceil(total / shardBytes));
  const shards = Array.from({ length: count }, (_, k) => ({
    path: `weights-${k + 1}.bin`,
    bytes: all.subarray(k * shardBytes, Math.min(total, (k + 1) * shardBytes)),
  }));
  return { manifest: [{ paths: shards.map((s) => s.path), weights: entries }], shards, totalBytes: total };
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE 754 binary32 → binary16 bits, round to nearest even; overflow → ±Infinity, NaN kept NaN. */
export function float32ToHalfBits(x: number): number {
  f32[0] = x;
  const bits = u32[0] as number;
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  let mant = bits & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant !== 0 ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    // Subnormal half (or zero): shift the implicit-1 mantissa into place, rounding to nearest even.
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    const rest = mant & ((1 << shift) - 1);
    let m = mant >>> shift;
    if (rest > half || (rest === half && (m & 1) === 1)) m++;
    return sign | m;
  }
  let h = sign | (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  // A carry out of the mantissa correctly bumps the exponent (up to Infinity).
  if (rest > 0x1000 || (rest === 0x1000 && (h & 1) === 1)) h++;
  return h;
}

function encodeFloat16(data: Float32Array): Uint8Array {
  const out = new Uint8Array(data.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) view.setUint16(i * 2, float32ToHalfBits(data[i] as number), true);
  return out;
}
