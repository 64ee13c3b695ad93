import { ParameterBus } from '../../../src/core/params/bus.ts';
import { PARAMS } from '../../../src/core/params/catalogue.ts';
import type { LatentDirection } from '../../../src/core/latent/directions.ts';
import { latentFromSeed } from '../../../src/core/latent/seed-latent.ts';

export const SIZE = 128;
export const DT = 1 / 30;

/** A bus with the catalogue, values set immediately by the desk (no smoothing in the way of exact checks). */
export function busWith(values: Record<string, unknown> = {}): ParameterBus {
  const bus = new ParameterBus(PARAMS);
  setAll(bus, values);
  return bus;
}

export function setAll(bus: ParameterBus, values: Record<string, unknown>): void {
  for (const [name, v] of Object.entries(values)) {
    const r = bus.set(name, v, 'desk', { immediate: true });
    if (!r.ok) throw new Error(r.error);
  }
}

export function dist(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += ((a[i] as number) - (b[i] as number)) ** 2;
  return Math.sqrt(s);
}

export function maxAbs(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

export function normOf(a: Float32Array): number {
  let s = 0;
  for (const x of a) s += x * x;
  return Math.sqrt(s);
}

/** Random unit directions (not orthogonal; steering does not need them to be). */
export function randomDirections(count: number, size = SIZE): LatentDirection[] {
  return Array.from({ length: count }, (_, k) => {
    const v = latentFromSeed(9000 + k, size);
    const n = normOf(v);
    for (let i = 0; i < size; i++) v[i] = (v[i] as number) / n;
    return { name: `d${k}`, vector: v, sigma: 0.5 + k * 0.25 };
  });
}

/** Per-tick step lengths |z_{k+1} − z_k| and second differences |z_{k+1} − 2z_k + z_{k−1}|. */
export class PathRecorder {
  private a: Float32Array | undefined;
  private b: Float32Array | undefined;
  readonly steps: number[] = [];
  readonly bends: number[] = [];

  push(z: Float32Array): void {
    if (this.b) this.steps.push(dist(z, this.b));
    if (this.a && this.b) {
      let s = 0;
      for (let i = 0; i < z.length; i++) s += ((z[i] as number) - 2 * (this.b[i] as number) + (this.a[i] as number)) ** 2;
      this.bends.push(Math.sqrt(s));
    }
    this.a = this.b;
    this.b = Float32Array.from(z);
  }

  maxStep(): number {
    return Math.max(...this.steps);
  }

  maxBend(): number {
    return Math.max(...this.bends);
  }
}
