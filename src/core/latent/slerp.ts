import type { Vec } from './vector.ts';

/** Below this angle (radians) the sin(Ω) denominator loses precision; lerp of directions is exact enough there. */
const PARALLEL_EPSILON = 1e-4;

/**
 * Spherical linear interpolation (Shoemake 1985, "Animating rotation with quaternion curves"), as used for GAN
 * latents since White 2016 ("Sampling generative networks"): directions are slerped on the unit sphere and the
 * length is interpolated linearly, so two latents of equal norm give an output of exactly that norm all the way,
 * instead of the lerp's dip through the low-density centre of the Gaussian. Nearly parallel inputs fall back to a
 * normalised lerp; exactly opposite ones have no unique great circle and take a deterministic detour through a
 * perpendicular axis. t outside [0, 1] extrapolates along the same great circle. `out` may alias a or b.
 */
export function slerpInto(a: Vec, b: Vec, t: number, out: Vec): Vec {
  let aa = 0;
  let bb = 0;
  let ab = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    aa += x * x;
    bb += y * y;
    ab += x * y;
  }
  const na = Math.sqrt(aa);
  const nb = Math.sqrt(bb);
  if (na === 0 || nb === 0) {
    // No direction to rotate: the only continuous answer is the straight line.
    for (let i = 0; i < a.length; i++) out[i] = (a[i] as number) + ((b[i] as number) - (a[i] as number)) * t;
    return out;
  }
  const length = na + (nb - na) * t;
  const cos = Math.max(-1, Math.min(1, ab / (na * nb)));
  const omega = Math.acos(cos);
  let ka: number;
  let kb: number;
  if (omega < PARALLEL_EPSILON) {
    ka = 1 - t;
    kb = t;
  } else if (Math.PI - omega < PARALLEL_EPSILON) {
    return slerpOpposite(a, na, length, t, out);
  } else {
    const s = Math.sin(omega);
    ka = Math.sin((1 - t) * omega) / s;
    kb = Math.sin(t * omega) / s;
  }
  // Combine unit directions, then renormalise: exact for the sin formula, and corrects the lerp fallback.
  let nn = 0;
  for (let i = 0; i < a.length; i++) {
    const v = ((a[i] as number) / na) * ka + ((b[i] as number) / nb) * kb;
    out[i] = v;
    nn += v * v;
  }
  const k = nn > 0 ? length / Math.sqrt(nn) : 0;
  for (let i = 0; i < a.length; i++) out[i] = (out[i] as number) * k;
  return out;
}

/** Opposite directions: rotate a by t·π about the plane spanned by a and the first axis not parallel to it. */
function slerpOpposite(a: Vec, na: number, length: number, t: number, out: Vec): Vec {
  let axis = 0;
  let smallest = Infinity;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i] as number);
    if (v < smallest) {
      smallest = v;
      axis = i;
    }
  }
  // p = e_axis − (e_axis·â)â, normalised: a unit vector perpendicular to a.
  const ai = (a[axis] as number) / na;
  const pn = Math.sqrt(Math.max(1e-30, 1 - ai * ai));
  const c = Math.cos(t * Math.PI);
  const s = Math.sin(t * Math.PI);
  for (let i = 0; i < a.length; i++) {
    const ahat = (a[i] as number) / na;
    const p = ((i === axis ? 1 : 0) - ai * ahat) / pn;
    out[i] = (ahat * c + p * s) * length;
  }
  return out;
}

/** Allocating convenience for tools and tests; the walker uses slerpInto. */
export function slerp(a: Vec, b: Vec, t: number): Float32Array {
  return slerpInto(a, b, t, new Float32Array(a.length));
}
