/**
 * Float32Array vector helpers for the hot path. Every function writes into an `out` it is given (which may
 * alias an input where noted) and returns it, so a walk allocates nothing per tick.
 */
export type Vec = Float32Array;

export function dot(a: Vec, b: Vec): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

export function norm(a: Vec): number {
  return Math.sqrt(dot(a, a));
}

export function distance(a: Vec, b: Vec): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] as number) - (b[i] as number);
    s += d * d;
  }
  return Math.sqrt(s);
}

export function copyInto(src: Vec, out: Vec): Vec {
  out.set(src);
  return out;
}

/** out = a·s (out may alias a). */
export function scaleInto(a: Vec, s: number, out: Vec): Vec {
  for (let i = 0; i < a.length; i++) out[i] = (a[i] as number) * s;
  return out;
}

/** out = a + b·s (out may alias a). */
export function addScaledInto(a: Vec, b: Vec, s: number, out: Vec): Vec {
  for (let i = 0; i < a.length; i++) out[i] = (a[i] as number) + (b[i] as number) * s;
  return out;
}

/** out = a·x + b·y (out may alias a or b). */
export function combineInto(a: Vec, x: number, b: Vec, y: number, out: Vec): Vec {
  for (let i = 0; i < a.length; i++) out[i] = (a[i] as number) * x + (b[i] as number) * y;
  return out;
}

/** out = a + (b − a)·t (out may alias a or b). */
export function lerpInto(a: Vec, b: Vec, t: number, out: Vec): Vec {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    out[i] = x + ((b[i] as number) - x) * t;
  }
  return out;
}

export function maxAbsDifference(a: Vec, b: Vec): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}
