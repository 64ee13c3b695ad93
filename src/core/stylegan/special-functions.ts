/**
 * The two Bessel functions the StyleGAN3 filter design needs, in float64:
 * - I0 (modified, first kind, order 0) for the Kaiser window (numpy `np.kaiser`, scipy `get_window(('kaiser', β))`);
 * - J1 (first kind, order 1) for the radially symmetric "jinc" low-pass of the -R config (`scipy.special.j1`).
 */

/** I0(x) by its power series Σ ((x/2)^k / k!)²: every term is positive, so no cancellation for any x we meet. */
export function besselI0(x: number): number {
  const q = (x * x) / 4;
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 500; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/**
 * J1(x) by Bessel's integral J1(x) = (1/2π)∫₀^{2π} cos(x·sin τ − τ) dτ. The integrand is smooth and periodic, so the
 * trapezoid rule converges geometrically once the point count exceeds |x| by a margin; 4·|x| + 64 points give
 * float64 accuracy. (The power series cancels catastrophically for large |x|; the filters here need |x| ≲ 20.)
 */
export function besselJ1(x: number): number {
  const n = 64 + 4 * Math.ceil(Math.abs(x));
  let sum = 0;
  for (let k = 0; k < n; k++) {
    const tau = (2 * Math.PI * k) / n;
    sum += Math.cos(x * Math.sin(tau) - tau);
  }
  return sum / n;
}
