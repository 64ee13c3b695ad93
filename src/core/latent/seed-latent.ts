import { Rng } from './rng.ts';

const rng = new Rng();

/**
 * The latent of portrait number `seed`: `size` independent standard normals, the prior every GAN here was
 * trained with (z ~ N(0, I)). The same seed gives the same latent on every machine, in the kiosk, the tools and
 * the tests, because it depends only on integer arithmetic and Math.log/sqrt/cos/sin of the same doubles.
 * `stream` numbers further latents derived from one seed (keyframe k of a walk); stream 0 is the portrait itself.
 */
export function latentFromSeed(seed: number, size: number, out?: Float32Array, stream = 0): Float32Array {
  const target = out ?? new Float32Array(size);
  if (target.length !== size) throw new RangeError(`latentFromSeed: out holds ${target.length} numbers, expected ${size}`);
  rng.reseed(seed, stream);
  return rng.fillNormal(target);
}
