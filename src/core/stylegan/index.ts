/** The StyleGAN core: the network contract, the architecture builder and its presets. */
export * from './network.ts';
export { buildGenerator, countParameters, moduleAt, GENERATOR_MODULE_NAMES, type GeneratorModuleName, type GeneratorSpec } from './architecture.ts';
export type { BuildOptions, InitStyle } from './init-style.ts';
export type { KwargsRecord } from './kwargs.ts';
export { OFFICIAL_PRESETS, officialPreset, stylegan2AdaConfig, stylegan3Config, tinyStyleGan2, tinyStyleGan3, type OfficialPresetName } from './presets.ts';
export { setupFilter, designLowpassFilter, type FilterTensor } from './filters.ts';
export { stylegan3Schedule, type Sg3Schedule } from './stylegan3-schedule.ts';
export { activationGain } from './stylegan2-architecture.ts';
export { networkFromPickle, NetworkImportError, SUPPORTED_PICKLES, type FromPickleOptions } from './from-pickle.ts';
export { CpuMapping } from './cpu-mapping.ts';
export { STYLE_ROWS, StyleRows } from './style-rows.ts';
export { createStyleSettings, readStyleSettings, styleRowOfLayer, type StyleSettings } from './style-settings.ts';
