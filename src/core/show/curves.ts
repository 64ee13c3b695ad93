import type { Curve } from './types.ts';

/** How hard "exp" and "log" bend: e^4 ≈ 55, a strong but still usable ease (the first quarter gives ~5%). */
const EXP_K = 4;
const EXP_NORM = Math.expm1(EXP_K);

/**
 * Shapes a normalised input t ∈ [0, 1] into [0, 1]. Every curve is monotone and maps 0 → 0 and 1 → 1, so the
 * mapping's input and output ranges keep their meaning whatever the shape.
 */
export function applyCurve(curve: Curve, t: number): number {
  const x = t <= 0 ? 0 : t >= 1 ? 1 : t;
  switch (curve) {
    case 'linear':
      return x;
    case 'smoothstep':
      return x * x * (3 - 2 * x);
    case 'exp':
      return Math.expm1(EXP_K * x) / EXP_NORM;
    case 'log':
      // The inverse of exp: fast at first, then settling.
      return Math.log1p(x * EXP_NORM) / EXP_K;
    case 'ease-in':
      return x * x;
    case 'ease-out':
      return 1 - (1 - x) * (1 - x);
    case 'step':
      return x >= 0.5 ? 1 : 0;
  }
}
