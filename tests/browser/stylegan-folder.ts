import { NETWORK_FILE_FORMAT, type StyleGanNetwork } from '../../src/core/stylegan/network.ts';
import type { ModelFiles } from '../fixtures/models/tiny.ts';
import { tinyCard } from '../fixtures/models/tiny.ts';

/**
 * Writes a built StyleGanNetwork as the on-disk folder the importer produces (card.json, network.json, weights.json
 * + shards), in memory, for the loader tests: shards split every `shardBytes`, float16-quantised when asked.
 */
export interface FolderOptions {
  readonly id?: string;
  readonly float16?: boolean;
  readonly shardBytes?: number;
  readonly card?: Record<string, unknown>;
}

function floatToHalf(v: number): number {
  const f = new Float32Array([v]);
  const x = new Uint32Array(f.buffer)[0] as number;
  const sign = (x >>> 16) & 0x8000;
  const exp = ((x >>> 23) & 0xff) - 127 + 15;
  const mant = x & 0x7fffff;
  if (exp <= 0) {
    if (exp < -10) return sign;
    const m = (mant | 0x800000) >> (1 - exp);
    return sign | ((m + 0x1000) >> 13);
  }
  if (exp >= 31) return sign | 0x7c00;
  const h = sign | (exp << 10) | (mant >> 13);
  return (mant & 0x1000) !== 0 ? h + 1 : h;
}

export function styleGanCard(net: StyleGanNetwork, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const a = net.root.attrs;
  const res = a['img_resolution'] as number;
  const wAvg = net.tensors.get('mapping.w_avg');
  return tinyCard(
    { latent: a['z_dim'] as number, size: res, hidden: 1, seed: 0 },
    {
      id: 'tiny-stylegan',
      format: net.generation,
      modelUrl: 'network.json',
      output: { height: res, width: res, channels: 3, range: [-1, 1], layout: 'NCHW', channelOrder: 'RGB' },
      ...(wAvg ? { averageW: Array.from(wAvg.data) } : {}),
      stylegan: {
        generation: net.generation,
        zDim: a['z_dim'],
        wDim: a['w_dim'],
        cDim: a['c_dim'],
        numWs: a['num_ws'],
        resolution: res,
        network: 'network.json',
        weights: 'weights.json',
      },
      ...overrides,
    },
  );
}

export function styleGanFolderFiles(net: StyleGanNetwork, options: FolderOptions = {}): ModelFiles {
  const files: ModelFiles = new Map();
  const entries: Array<Record<string, unknown>> = [];
  const chunks: Uint8Array[] = [];
  for (const [name, t] of net.tensors) {
    if (options.float16) {
      const out = new Uint16Array(t.data.length);
      for (let i = 0; i < t.data.length; i++) out[i] = floatToHalf(t.data[i] as number);
      chunks.push(new Uint8Array(out.buffer));
      entries.push({ name, shape: [...t.shape], dtype: 'float32', quantization: { dtype: 'float16' } });
    } else {
      chunks.push(new Uint8Array(t.data.slice().buffer));
      entries.push({ name, shape: [...t.shape], dtype: 'float32' });
    }
  }
  const total = chunks.reduce((a, c) => a + c.byteLength, 0);
  const all = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    all.set(c, o);
    o += c.byteLength;
  }
  const shard = options.shardBytes ?? 4 << 20;
  const paths: string[] = [];
  for (let k = 0; k * shard < total || k === 0; k++) {
    const p = `weights-${k}.bin`;
    paths.push(p);
    files.set(p, all.slice(k * shard, Math.min(total, (k + 1) * shard)).buffer);
  }
  files.set('weights.json', JSON.stringify([{ paths, weights: entries }]));
  files.set('network.json', JSON.stringify({ format: NETWORK_FILE_FORMAT, generation: net.generation, root: net.root }));
  files.set('card.json', JSON.stringify(options.card ?? styleGanCard(net, options.id ? { id: options.id } : {})));
  return files;
}
