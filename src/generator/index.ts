/** The generator's public surface: what src/app composes. */
export type { GeneratedFrame } from './frame.ts';
export { backendPreference, DEFAULT_BACKEND_ORDER, GENERATOR_BACKENDS, type BackendPreference, type GeneratorBackend } from './backend-preference.ts';
export type { DeviceLoss, TfBackend } from './backend.ts';
export { createGenerator, type CreateGeneratorOptions, type LoadPhase, type LoadProgress } from './create.ts';
export { Generator, type GenerateOptions, type GeneratorStats, type Handoff } from './generator.ts';
export { loadModelCard, ModelLoadError, type FetchLike } from './model-loader.ts';
export { GenerationQueue, type FrameSource, type QueueOptions, type QueueStats } from './queue.ts';
export { reportGeneratorStatus, type TensorMemory } from './status.ts';
export type { NoiseMode, StyleGanHandle, StyleGanRuntime, StyleGanSettings } from './stylegan/index.ts';
export { AUTO_MAX_SIDE, upscaleFactor, type UpscaleContext, type UpscaleFactor } from './upscale/rule.ts';
export { loadUpscaler, Upscaler } from './upscale/upscaler.ts';
