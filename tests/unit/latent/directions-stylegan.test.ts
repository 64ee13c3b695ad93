import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDirections, type DirectionSet } from '../../../src/core/latent/directions.ts';
import { latentFromSeed } from '../../../src/core/latent/seed-latent.ts';
import { buildGenerator } from '../../../src/core/stylegan/architecture.ts';
import { CpuMapping } from '../../../src/core/stylegan/cpu-mapping.ts';
import { tinyStyleGan2 } from '../../../src/core/stylegan/presets.ts';
import { decodePng } from '../../../tools/lib/png.ts';
import { runDirections, type DirectionsOutput } from '../../../tools/directions/run.ts';
import { styleGanFolderFiles } from '../../browser/stylegan-folder.ts';

const net = buildGenerator(tinyStyleGan2({ resolution: 8 }), { init: 'trained-like', seed: 21 });

describe('npm run directions on an imported StyleGAN folder: GANSpace in w', () => {
  let dir = '';
  let out: DirectionsOutput;
  let set: DirectionSet;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sitter-wdirections-'));
    for (const [name, data] of styleGanFolderFiles(net, { id: 'tiny-sg', shardBytes: 4096 })) {
      await writeFile(join(dir, name), typeof data === 'string' ? data : new Uint8Array(data));
    }
    out = await runDirections({ modelDir: dir, samples: 300, components: 3, seed: 2, rows: 1 });
    const parsed = parseDirections(JSON.parse(await readFile(out.directionsFile, 'utf8')), 8);
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    set = parsed.value;
  }, 60_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes w-space directions with the model id and the digest of every shard the manifest names', () => {
    expect(set.space).toBe('w');
    expect(set.latentSize).toBe(8);
    expect(out.layer).toBe('mapping (w)');
    expect(set.provenance).toMatchObject({ model: 'tiny-sg', method: 'ganspace-pca', layer: 'mapping (w)', samples: 300, seed: 2 });
    const manifest = JSON.parse(readFileSync(join(dir, 'weights.json'), 'utf8')) as { paths: string[] }[];
    const paths = manifest.flatMap((g) => g.paths);
    expect(paths.length).toBeGreaterThan(1);
    const hash = createHash('sha256');
    for (const p of paths) hash.update(readFileSync(join(dir, p)));
    expect(set.provenance.weightsSha256).toBe(hash.digest('hex'));
  });

  it('the directions are the principal axes of sampled w: σ² is the variance of w along them, largest first', () => {
    const mapping = new CpuMapping(net);
    const ws: Float32Array[] = [];
    for (let i = 0; i < 300; i++) ws.push(mapping.mapInto(latentFromSeed(2 + i, 8), new Float32Array(8)));
    const mean = new Float64Array(8);
    for (const w of ws) w.forEach((v, j) => (mean[j] = (mean[j] as number) + v / ws.length));
    const variance = (u: Float32Array): number => {
      let s = 0;
      for (const w of ws) {
        let p = 0;
        for (let j = 0; j < 8; j++) p += ((w[j] as number) - (mean[j] as number)) * (u[j] as number);
        s += p * p;
      }
      return s / (ws.length - 1);
    };
    const sig = set.directions.map((d) => d.sigma);
    for (const [i, d] of set.directions.entries()) expect(Math.sqrt(variance(d.vector))).toBeCloseTo(sig[i] as number, 3);
    expect(sig[0]).toBeGreaterThanOrEqual(sig[1] as number);
    // No unit vector has more variance than the first component.
    for (let k = 0; k < 8; k++) {
      const v = latentFromSeed(900 + k, 8);
      const n = Math.hypot(...v);
      expect(variance(v.map((x) => x / n))).toBeLessThanOrEqual(variance(set.directions[0]!.vector) + 1e-6);
    }
  });

  it('draws a contact sheet per direction through the synthesis network, and the steps differ', async () => {
    expect(out.sheets).toHaveLength(3);
    const img = decodePng(await readFile(out.sheets[0]!));
    // 7 tiles of 8 px upscaled to 64, 2 px gaps; one row.
    expect(img.width).toBe(7 * 64 + 8 * 2);
    expect(img.height).toBe(64 + 2 * 2);
    const pixel = (col: number): number[] => {
      const x = 2 + col * 66 + 32;
      const at = (34 * img.width + x) * img.channels;
      return [img.data[at]!, img.data[at + 1]!, img.data[at + 2]!];
    };
    expect(pixel(0)).not.toEqual(pixel(6));
  });
});
