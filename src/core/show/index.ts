/**
 * The show module's public face: what the app, the kiosk server and the OSC router import. Everything else in
 * src/core/show/ is the schema's inner workings.
 */
export { loadShow, loadShowOrThrow } from './load.ts';
export { validateShow, type ShowResult, type ValidateOptions } from './validate.ts';
export { formatIssue, type ShowIssue } from './issues.ts';
export type {
  BackendChoice, CreditsConfig, Cue, CueTarget, Curve, IdleConfig, KioskConfig, Mapping, OscConfig, PoseConfig,
  PrivacyConfig, Show,
} from './types.ts';
export { CueEngine } from './cue-engine.ts';
export { parseShowState, type FadeState, type ShowState, type ShowStateResult } from './show-state.ts';
export { applyMappings, mapFeature, type FeatureValues } from './apply-mappings.ts';
export { applyAttract, applyInitial } from './attract.ts';
export { creditsVisible } from './sections/credits.ts';
export { unsteerable } from './steering.ts';
