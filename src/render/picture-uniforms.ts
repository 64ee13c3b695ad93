import type { IUniform } from 'three';
import { MORPH_MODES } from '../core/params/catalogue.ts';
import type { SitterBus } from '../core/params/catalogue.ts';

/** Uniforms every cell material and the post material share (the same objects, so one write reaches all). */
export interface PictureUniforms extends Record<string, IUniform> {
  readonly uStrength: IUniform<number>;
  readonly uSeed: IUniform<number>;
  readonly uFinish: IUniform<number>;
  readonly uRotation: IUniform<Float32Array>;
  readonly uExposure: IUniform<number>;
  readonly uContrast: IUniform<number>;
  readonly uSaturation: IUniform<number>;
  readonly uTemperature: IUniform<number>;
  readonly uTint: IUniform<number>;
  readonly uGrainAmount: IUniform<number>;
  readonly uGrainSize: IUniform<number>;
  readonly uGrainTime: IUniform<number>;
  readonly uGrainSeed: IUniform<number>;
  readonly uVignetteAmount: IUniform<number>;
  readonly uVignetteSoftness: IUniform<number>;
  readonly uLevel: IUniform<number>;
  readonly uScreenSize: IUniform<Float32Array>;
}

export type Upscale = 'bilinear' | 'bicubic';

export function createPictureUniforms(seed: number): PictureUniforms {
  const u = (value: number): IUniform<number> => ({ value });
  return {
    uStrength: u(0.5), uSeed: u(seed >>> 0), uFinish: u(1),
    uRotation: { value: new Float32Array([1, 0]) },
    uExposure: u(0), uContrast: u(1), uSaturation: u(1), uTemperature: u(0), uTint: u(0),
    uGrainAmount: u(0), uGrainSize: u(1), uGrainTime: u(0), uGrainSeed: u((seed * 2654435761) >>> 0),
    uVignetteAmount: u(0), uVignetteSoftness: u(0.5), uLevel: u(1),
    uScreenSize: { value: new Float32Array([1, 1]) },
  };
}

/**
 * Copies the bus's current (smoothed) values into the uniforms and returns the morph mode's index (a shader
 * variant, not a uniform). Reads only; allocates nothing.
 */
export function readPictureParams(bus: SitterBus, u: PictureUniforms, now: number): number {
  const mode = bus.string('morph/mode');
  let m = 0;
  for (let i = 0; i < MORPH_MODES.length; i++) if (MORPH_MODES[i] === mode) m = i;
  u.uStrength.value = bus.number('morph/strength');
  u.uExposure.value = bus.number('grade/exposure');
  u.uContrast.value = bus.number('grade/contrast');
  u.uSaturation.value = bus.number('grade/saturation');
  u.uTemperature.value = bus.number('grade/temperature');
  u.uTint.value = bus.number('grade/tint');
  u.uGrainAmount.value = bus.number('grain/amount');
  u.uGrainSize.value = bus.number('grain/size');
  u.uGrainTime.value = now;
  u.uVignetteAmount.value = bus.number('vignette/amount');
  u.uVignetteSoftness.value = bus.number('vignette/softness');
  u.uLevel.value = bus.number('master/level');
  return m;
}
