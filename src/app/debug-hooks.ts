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
  /**
   * Several screens: whether the page follows the leader's lane, its tick, and the shared latent at the latest tick
   * that is a multiple of 30 and at least 30 back (the tick every screen and kiosk publishes, to compare); null alone.
   */
  screen(): { following: boolean; tick: number | null; probe: { tick: number; latent: number[] } | null } | null;
  /** The last finished recording of the show's inputs (JSON lines), or null; recording runs by key r or /sitter/record. */
  recording?(): string | null;
  /** The replay in force (`npm start -- --replay`): its progress, or why it is not running; null when none was asked. */
  replay?(): { name: string; state: 'loading' | 'playing' | 'finished' | 'failed'; loop: boolean; dropped: number; error: string | null } | null;
}

declare global {
  interface Window {
    sitter?: SitterDebug;
  }
}
