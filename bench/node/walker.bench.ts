/**
 * Latents per second from the walker (Float32Array buffers reused, one fused pass per tick, look-ahead into one
 * [n × 512] batch) against the naive way in the same run: arrays of numbers, a new array per step and per stage,
 * slerp with Math.acos and Math.sin evaluated per element, steering as one map per direction.
 */
import type { Benchmark } from '../harness.ts';
import { latentFromSeed } from '../../src/core/latent/seed-latent.ts';
import type { LatentDirection } from '../../src/core/latent/directions.ts';
import { createWalkSettings } from '../../src/core/latent/walk-settings.ts';
import { Walker } from '../../src/core/latent/walker.ts';

const SIZE = 512;
const BATCH = 256;
const DT = 1 / 30;
const KEYFRAME_SECONDS = 2;

function unitDirections(count: number): LatentDirection[] {
  return Array.from({ length: count }, (_, k) => {
    const v = latentFromSeed(500 + k, SIZE);
    const n = Math.hypot(...v);
    return { name: `d${k}`, vector: v.map((x) => x / n), sigma: 1 };
  });
}

const directions = unitDirections(8);
const settings = createWalkSettings({ mode: 'tour', keyframeSeconds: KEYFRAME_SECONDS, truncation: 0.7 });
settings.steer[0] = 1;
settings.steer[3] = -0.5;

function walkerCase(name: string, mode: 'tour' | 'random' | 'noise-loop', useLookahead: boolean) {
  const w = new Walker({ size: SIZE, directions });
  const s = createWalkSettings({ mode, keyframeSeconds: KEYFRAME_SECONDS, truncation: 0.7 });
  s.steer.set(settings.steer);
  const out = new Float32Array(BATCH * SIZE);
  return {
    name,
    units: BATCH,
    run: (): number => {
      if (useLookahead) {
        w.lookahead(BATCH, DT, out, s);
        w.step(DT * BATCH, s); // move on, so each run previews fresh ground
      } else {
        for (let i = 0; i < BATCH; i++) out.set(w.step(DT, s), i * SIZE);
      }
      return out[0] as number;
    },
  };
}

/** The naive walk: keyframe to keyframe with eased slerp, everything as fresh number[] arrays. */
class NaiveWalker {
  private phase = 0;
  private keyframes = new Map<number, number[]>();

  private keyframe(k: number): number[] {
    let v = this.keyframes.get(k);
    if (!v) {
      v = Array.from(latentFromSeed(1, SIZE, undefined, k));
      this.keyframes.set(k, v);
    }
    return v;
  }

  step(dt: number): number[] {
    this.phase += dt / KEYFRAME_SECONDS;
    const k = Math.floor(this.phase);
    const t = this.phase - k;
    const e = t * t * (3 - 2 * t);
    const a = this.keyframe(k);
    const b = this.keyframe(k + 1);
    const dotAB = a.reduce((s, x, i) => s + x * (b[i] as number), 0);
    const na = Math.sqrt(a.reduce((s, x) => s + x * x, 0));
    const nb = Math.sqrt(b.reduce((s, x) => s + x * x, 0));
    const z = a.map((x, i) => {
      const omega = Math.acos(dotAB / (na * nb));
      return (Math.sin((1 - e) * omega) / Math.sin(omega)) * x + (Math.sin(e * omega) / Math.sin(omega)) * (b[i] as number);
    });
    const truncated = z.map((x) => x * 0.7);
    let steered = truncated;
    for (let d = 0; d < directions.length; d++) {
      const w = settings.steer[d] as number;
      const dir = directions[d] as LatentDirection;
      steered = steered.map((x, i) => x + w * dir.sigma * (dir.vector[i] as number));
    }
    return steered;
  }
}

const naive = new NaiveWalker();

const bench: Benchmark = {
  name: 'walker',
  description: `${BATCH} latents of ${SIZE} numbers per run (tour, truncation, 8 steering directions)`,
  unit: 'latent',
  ours: walkerCase('walker look-ahead batch (tour)', 'tour', true),
  baseline: {
    name: 'naive number[] walk (alloc per step, acos per element)',
    units: BATCH,
    run: (): number => {
      const batch: number[][] = [];
      for (let i = 0; i < BATCH; i++) batch.push(naive.step(DT));
      return batch.length;
    },
  },
  others: [
    walkerCase('walker tick by tick (tour)', 'tour', false),
    walkerCase('walker look-ahead batch (random OU drift)', 'random', true),
    walkerCase('walker look-ahead batch (noise-loop)', 'noise-loop', true),
  ],
  info: { latentSize: SIZE, batch: BATCH, steeringDirections: directions.length },
};

export default bench;
