/** StyleGAN2/3 in TF.js: the runtime, the folder loader and the LoadedModel adapter (see README.md). */
export { createStyleGanRuntime, type RuntimeOptions, type StyleGanRuntime, type SynthesisOptions } from './runtime.ts';
export { loadStyleGanNetwork, readNetworkDocument } from './loader.ts';
export { loadStyleGanModel, type StyleGanHandle, type StyleGanSettings } from './loaded-model.ts';
export type { TruncationOptions } from './mapping.ts';
export { NOISE_MODES, type NoiseMode, type NoiseOptions } from './noise.ts';
