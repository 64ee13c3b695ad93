import type { LatentDirection } from '../latent/directions.ts';
import { latentFromSeed } from '../latent/seed-latent.ts';
import { slerpInto } from '../latent/slerp.ts';
import type { ScreenRole } from './types.ts';

/**
 * A screen's own latent from the shared one: slerped towards its portrait, then its steering direction added (after
 * everything, like the walker's own steering: a pure offset in σ). Roles without either return `shared` as is.
 * `scratch` holds the target portrait between calls (allocated once by the caller).
 */
export function roleLatentInto(
  shared: Float32Array, role: ScreenRole, directions: readonly LatentDirection[], scratch: Float32Array, out: Float32Array,
): Float32Array {
  if (!role.latent && !role.steer) {
    if (out !== shared) out.set(shared);
    return out;
  }
  if (role.latent && role.latent.amount > 0) {
    latentFromSeed(role.latent.towards, shared.length, scratch);
    slerpInto(shared, scratch, role.latent.amount, out);
  } else if (out !== shared) out.set(shared);
  const d = role.steer ? directions[role.steer.slot] : undefined;
  if (role.steer && d) {
    const k = role.steer.sigma * d.sigma;
    for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) + k * (d.vector[i] as number);
  }
  return out;
}
