/** The renderer's public surface, for the app's composition root. */
export { SitterRenderer, createSitterRenderer, MAX_CELLS, type SitterRendererOptions } from './renderer.ts';
export type { RendererEvents, RendererEvent } from './events.ts';
export type { Upscale } from './picture-uniforms.ts';
export { Hud, formatValue, HUD_REFRESH_MS } from './hud.ts';
export { CreditsOverlay, type CreditsCard } from './credits.ts';
export { StatusScreen, describeError, type StatusStep, type StepState } from './status-screen.ts';
