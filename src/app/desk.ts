import { EchoGuard } from '../core/osc/echo-guard.ts';
import { Feedback } from '../core/osc/feedback.ts';
import { LearnTable } from '../core/osc/learn.ts';
import { OscRouter } from '../core/osc/router.ts';
import type { DeskCommand } from '../core/osc/types.ts';
import type { BridgeCounters } from '../core/osc/ws-protocol.ts';
import type { SitterBus } from '../core/params/catalogue.ts';
import type { ParamValue } from '../core/params/types.ts';
import type { TempoState } from '../core/tempo/tempo.ts';
import type { CueEngine } from '../core/show/index.ts';
import { connectOscClient, type OscClient, type OscClientStatus } from '../input/osc-client.ts';

export interface DeskOptions {
  readonly wsUrl: string;
  readonly bus: SitterBus;
  readonly cues: CueEngine;
  readonly feedbackRateHz: number;
  readonly log: (level: 'info' | 'warn', message: string) => void;
  readonly onStatus?: (status: OscClientStatus) => void;
  /** Several screens: the walk lane's state relayed by the kiosk. */
  readonly onScreens?: (text: string) => void;
  /** Learn commands (armed, bound, cancelled), for other learners that share /sitter/learn (MIDI). */
  readonly onLearn?: (command: DeskCommand) => void;
  /** Beat pulses and tap-tempo taps, as they are applied (once per frame, in arrival order). */
  readonly onTempo?: (kind: 'beat' | 'tap') => void;
  readonly onRecord?: (on: boolean) => void;
}

/**
 * The control desk, as the page sees it: OSC from the bridge is routed onto the bus (source 'desk') and into
 * commands the cue engine carries out; bus changes go back to the desk as throttled feedback.
 */
export class Desk {
  readonly learn: LearnTable;
  readonly router: OscRouter;
  private readonly client: OscClient;
  private readonly unfollow: () => void;
  private counters: BridgeCounters | null = null;

  constructor(private readonly o: DeskOptions) {
    const guard = new EchoGuard(300);
    this.learn = new LearnTable(o.bus.specs());
    this.router = new OscRouter({
      bus: o.bus,
      echoGuard: guard,
      learn: this.learn,
      onCommand: (c) => this.execute(c),
      log: (e) => o.log('warn', `osc dropped (${e.reason}) ${e.address}: ${e.detail}${e.suppressed ? ` (+${e.suppressed} more)` : ''}`),
    });
    const feedback = new Feedback({ specs: o.bus.specs(), echoGuard: guard, intervalMs: 1000 / Math.max(1, o.feedbackRateHz) });
    this.unfollow = feedback.attach(o.bus);
    this.client = connectOscClient({
      url: o.wsUrl,
      bus: o.bus,
      router: this.router,
      feedback,
      onStats: (c) => {
        this.counters = c;
      },
      ...(o.onScreens ? { onScreens: o.onScreens } : {}),
      onStatus: (s, detail) => {
        o.onStatus?.(s);
        if (s === 'closed') o.log('warn', `desk bridge disconnected${detail ? ` (${detail})` : ''}; reconnecting`);
      },
    });
  }

  status(): OscClientStatus {
    return this.client.status;
  }

  /** The bridge's latest counters (received, forwarded, drops, kernel drops), for the HUD; null before the first. */
  bridgeCounters(): BridgeCounters | null {
    return this.counters;
  }

  /** Several screens, on the leading page: cue- or pose-layer changes for the followers' walks. */
  sendLayers(source: 'cue' | 'pose', values: Readonly<Record<string, ParamValue | null>>): void {
    this.client.sendLayers(source, values);
  }

  /** Several screens, on the leading page: the tempo after a correction, for every screen's lane. */
  sendTempo(tempo: TempoState): void {
    this.client.sendTempo(tempo);
  }

  /** Once per display frame. */
  frame(nowMs: number): void {
    this.client.frame(nowMs);
  }

  private execute(c: DeskCommand): void {
    const { cues, bus } = this.o;
    switch (c.kind) {
      case 'cue-go': cues.go(); break;
      case 'cue-back': cues.back(); break;
      case 'cue-goto': cues.gotoIndex(c.index); break;
      // The router has already set walk/seed on the bus; the walker blends to the new seed by itself.
      case 'walk-seed': break;
      case 'portrait-goto':
        bus.set('walk/target', c.portrait, 'desk');
        bus.set('walk/mode', 'towards', 'desk');
        break;
      case 'hud': bus.set('hud/visible', c.visible, 'desk'); break;
      case 'blackout': cues.blackout(c.on); break;
      case 'panic': cues.panic(); break;
      case 'tempo-beat': this.o.onTempo?.('beat'); break;
      case 'tempo-tap': this.o.onTempo?.('tap'); break;
      case 'record': this.o.onRecord?.(c.on); break;
      default:
        // Learn commands change the learn table, which the state sync persists; MIDI learn follows them.
        this.o.onLearn?.(c);
        break;
    }
  }

  dispose(): void {
    this.unfollow();
    this.client.dispose();
  }
}
