/**
 * Reading a TF.js weights manifest (`weights.json`: `tf.io.WeightsManifestConfig`) into float32 arrays, without
 * tfjs: groups of entries laid end to end over each group's concatenated shard files, little-endian, float32 or
 * quantised (float16, or uint8/uint16 with scale and min, as `tf.io.encodeWeights`' quantisation writes them).
 */

export interface ManifestEntry {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: 'float32';
  readonly quantization?: { readonly dtype: 'float16' | 'uint8' | 'uint16'; readonly scale?: number; readonly min?: number };
}

export interface ManifestGroup {
  readonly paths: readonly string[];
  readonly weights: readonly ManifestEntry[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Validates the manifest's JSON; errors name the file and the entry (`weights.json: [0].weights[3].shape: …`). */
export function parseManifest(json: unknown, where: string): ManifestGroup[] {
  if (!Array.isArray(json)) throw new Error(`${where}: expected a TF.js weights manifest (a list of {paths, weights} groups), got ${typeof json}`);
  return json.map((g: unknown, gi) => {
    const at = `${where}: [${gi}]`;
    if (!isObj(g)) throw new Error(`${at}: expected {paths, weights}`);
    const paths = g['paths'];
    if (!Array.isArray(paths) || paths.length === 0 || !paths.every((p) => typeof p === 'string' && p.length > 0 && !p.includes('..') && !/^[a-z]+:/i.test(p) && !p.startsWith('/'))) {
      throw new Error(`${at}.paths: expected a non-empty list of file names inside the model folder, got ${JSON.stringify(paths)}`);
    }
    const weights = g['weights'];
    if (!Array.isArray(weights)) throw new Error(`${at}.weights: expected a list of entries`);
    const entries = weights.map((e: unknown, ei): ManifestEntry => {
      const ea = `${at}.weights[${ei}]`;
      if (!isObj(e)) throw new Error(`${ea}: expected {name, shape, dtype}`);
      const { name, shape, dtype, quantization } = e;
      if (typeof name !== 'string' || name.length === 0) throw new Error(`${ea}.name: expected a state_dict name, got ${JSON.stringify(name)}`);
      if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && (d as number) >= 0)) throw new Error(`${ea} (${name}).shape: expected a list of sizes, got ${JSON.stringify(shape)}`);
      if (dtype !== 'float32') throw new Error(`${ea} (${name}).dtype: expected "float32" (optionally quantised), got ${JSON.stringify(dtype)}`);
      if (quantization === undefined) return { name, shape: shape as number[], dtype };
      if (!isObj(quantization)) throw new Error(`${ea} (${name}).quantization: expected an object`);
      const q = quantization['dtype'];
      if (q === 'float16') return { name, shape: shape as number[], dtype, quantization: { dtype: q } };
      if (q === 'uint8' || q === 'uint16') {
        const scale = quantization['scale'];
        const min = quantization['min'];
        if (typeof scale !== 'number' || typeof min !== 'number') throw new Error(`${ea} (${name}).quantization: ${q} needs numeric scale and min`);
        return { name, shape: shape as number[], dtype, quantization: { dtype: q, scale, min } };
      }
      throw new Error(`${ea} (${name}).quantization.dtype: expected "float16", "uint8" or "uint16", got ${JSON.stringify(q)}`);
    });
    return { paths: paths as string[], weights: entries };
  });
}

export function entryBytes(e: ManifestEntry): number {
  const n = e.shape.reduce((a, b) => a * b, 1);
  const q = e.quantization?.dtype;
  return n * (q === 'float16' || q === 'uint16' ? 2 : q === 'uint8' ? 1 : 4);
}

/** IEEE 754 binary16 → number. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac === 0 ? sign * Infinity : Number.NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Decodes one group's entries from its concatenated shard bytes. */
export function decodeGroup(group: ManifestGroup, bytes: Uint8Array, where: string): Map<string, { shape: number[]; data: Float32Array; storedAs: 'float32' | 'float16' }> {
  const out = new Map<string, { shape: number[]; data: Float32Array; storedAs: 'float32' | 'float16' }>();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  for (const e of group.weights) {
    const size = entryBytes(e);
    if (offset + size > bytes.byteLength) {
      throw new Error(`${where}: ${e.name} needs bytes ${offset}–${offset + size} but the shards ${group.paths.join(', ')} hold only ${bytes.byteLength}`);
    }
    const n = e.shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    const q = e.quantization;
    if (q === undefined) for (let i = 0; i < n; i++) data[i] = view.getFloat32(offset + 4 * i, true);
    else if (q.dtype === 'float16') for (let i = 0; i < n; i++) data[i] = halfToFloat(view.getUint16(offset + 2 * i, true));
    else if (q.dtype === 'uint16') for (let i = 0; i < n; i++) data[i] = view.getUint16(offset + 2 * i, true) * (q.scale as number) + (q.min as number);
    else for (let i = 0; i < n; i++) data[i] = view.getUint8(offset + i) * (q.scale as number) + (q.min as number);
    if (out.has(e.name)) throw new Error(`${where}: ${e.name} appears twice`);
    out.set(e.name, { shape: [...e.shape], data, storedAs: q?.dtype === 'float16' ? 'float16' : 'float32' });
    offset += size;
  }
  if (offset !== bytes.byteLength) throw new Error(`${where}: the shards ${group.paths.join(', ')} hold ${bytes.byteLength} bytes but the entries use ${offset}`);
  return out;
}
