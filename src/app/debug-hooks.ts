import type { ParamValue } from '../core/params/types.ts';
import type { Vitals } from './heartbeat.ts';

/**
 * What the page exposes for the soak test, fault injection and an operator's console. It reads state and injects
 * the faults a gallery meets (lost GPU context, unplugged camera, a broken show reload); it never carries frames.
 */
export interface SitterDebug {
  phase(): string;
  vitals(): Vitals;
  values(): Record<string, ParamValue>;
  framesPresented(): number;
  loseContext(): boolean;
  stopCamera(): boolean;
  reloadShow(text: string): { ok: boolean; errors: readonly string[] };
  deskStatus(): string;
}

declare global {
  interface Window {
    sitter?: SitterDebug;
  }
}
