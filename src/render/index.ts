/**
 * The renderer's public surface, for the app's composition root. A sketch of the wiring (src/app owns it):
 *
 *   const status = new StatusScreen(stage);                     // visible at once: never a blank page
 *   const renderer = createSitterRenderer({ bus, container: stage, clock });
 *   const gl = renderer.getContext();                           // tfjs runs on this very context
 *   renderer.on('contextlost', () => generator.pause());
 *   renderer.on('contextrestored', () => generator.rebuild(renderer.getContext()));
 *   generator.onFrame((cell, frame) => renderer.present(cell, frame)); // renderer calls frame.release()
 *   const hud = new Hud(stage, bus);
 *   const credits = new CreditsOverlay(stage, bus); credits.setCard(card);
 *   status.hide();
 *   function loop() {                                           // requestAnimationFrame
 *     const now = clock.now();
 *     renderer.withForeignGl(() => generator.step());           // or resetState() before and after tfjs work
 *     renderer.render(now); hud.update(now); credits.update();
 *   }
 *   // shutdown: hud.dispose(); credits.dispose(); renderer.dispose(); status.dispose();
 */
export { SitterRenderer, createSitterRenderer, MAX_CELLS, type SitterRendererOptions } from './renderer.ts';
export type { RendererEvents, RendererEvent } from './events.ts';
export type { Upscale } from './picture-uniforms.ts';
export { Hud, bridgeRows, formatValue, HUD_REFRESH_S, type HudRow } from './hud.ts';
export { CreditsOverlay, type CreditsCard } from './credits.ts';
export { StatusScreen, describeError, type StatusStep, type StepState } from './status-screen.ts';
