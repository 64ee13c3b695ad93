import type { Vec } from './vector.ts';

/**
 * Uniform Catmull-Rom spline segment between p1 (t = 0) and p2 (t = 1) (Catmull & Rom 1974), with its length
 * corrected radially: the Euclidean spline is computed, then rescaled to the Catmull-Rom spline of the four
 * points' norms. Both factors are C1 in t and the spline's tangent at a keyframe, (p_{k+1} − p_{k−1})/2, is the
 * same for the segments on either side, so a tour through keyframes has no jump and no velocity kink at any
 * keyframe. The radial correction keeps the path on the Gaussian's shell: a plain Euclidean spline between
 * nearly orthogonal high-dimensional latents cuts through the low-density interior (norm dips by ≈ 1/√2), which
 * is the reason slerp is used for latents at all (White 2016). This is the cheap cousin of Shoemake's (1987)
 * squad / spherical Catmull-Rom: one pass over the vector instead of six slerps.
 * `radial = false` leaves the plain (affine) spline: the right one in a StyleGAN's w space, which is not a Gaussian
 * shell and where straight lines are what the network was trained to see (Karras et al. 2019, §4: w is
 * disentangled enough that linear interpolation stays on the data's manifold).
 */
export function catmullRomInto(p0: Vec, p1: Vec, p2: Vec, p3: Vec, t: number, out: Vec, radial = true): Vec {
  const t2 = t * t;
  const t3 = t2 * t;
  const c0 = 0.5 * (-t + 2 * t2 - t3);
  const c1 = 0.5 * (2 - 5 * t2 + 3 * t3);
  const c2 = 0.5 * (t + 4 * t2 - 3 * t3);
  const c3 = 0.5 * (-t2 + t3);
  let n0 = 0;
  let n1 = 0;
  let n2 = 0;
  let n3 = 0;
  let nn = 0;
  for (let i = 0; i < out.length; i++) {
    const a = p0[i] as number;
    const b = p1[i] as number;
    const c = p2[i] as number;
    const d = p3[i] as number;
    n0 += a * a;
    n1 += b * b;
    n2 += c * c;
    n3 += d * d;
    const v = a * c0 + b * c1 + c * c2 + d * c3;
    out[i] = v;
    nn += v * v;
  }
  if (!radial) return out;
  const length = Math.sqrt(n0) * c0 + Math.sqrt(n1) * c1 + Math.sqrt(n2) * c2 + Math.sqrt(n3) * c3;
  if (nn > 0 && length > 0) {
    const k = length / Math.sqrt(nn);
    for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) * k;
  }
  return out;
}
