import type { LatentDirection } from '../latent/directions.ts';
import { Walker } from '../latent/walker.ts';
import { EASINGS } from '../latent/easing.ts';
import { slerpInto } from '../latent/slerp.ts';
import type { SitterBus } from '../params/catalogue.ts';
import type { ParamValue } from '../params/types.ts';
import type { BeatPulse } from '../tempo/pulse.ts';
import type { TempoState } from '../tempo/tempo.ts';
import { FollowerSync } from './follower.ts';
import { parseLeaderMessage, peekLeaderMessage } from './protocol.ts';
import type { ScreenRole } from './types.ts';
import type { WalkLane } from './lane.ts';

export interface PageScreenWalkOptions {
  readonly role: ScreenRole;
  readonly size: number;
  readonly mean?: Float32Array;
  readonly directions?: readonly LatentDirection[];
  readonly initial?: Readonly<Record<string, ParamValue>>;
  /** The system clock in seconds (Date.now() / 1000): the kiosk's clock samples are on it. */
  readonly now: () => number;
  /** From the page's own walk to the leader's when the first state arrives (default 1 s). */
  readonly glideSeconds?: number;
  /** A relayed screens message that was refused (a malformed checkpoint, another protocol): said, then dropped. */
  readonly onRefused?: (error: string) => void;
  /** The show's tempo pulses (those on walk parameters are the lane's to compute). */
  readonly pulses?: readonly BeatPulse[];
}

/**
 * The page's walk on a screen of several: the lane its kiosk relays (the leader's epoch, log and a clock sample on
 * the system clock, over the page's bridge socket), shown in this screen's role. Until the first state arrives it
 * walks on its own (a page that loads before its kiosk has heard the leader still shows a portrait). It has the
 * walker's shape (size, tick, latent, siblingsInto), so the portrait pipeline takes either.
 */
export class PageScreenWalk {
  readonly size: number;
  private readonly sync: FollowerSync;
  private readonly local: Walker;
  private out: Float32Array;
  private following = false;
  /** The glide from the page's own walk to the leader's when the first state arrives (a page up before its leader). */
  private readonly from: Float32Array;
  private readonly glide: Float32Array;
  private glideProgress = 1;
  private readonly glideSeconds: number;

  constructor(private readonly o: PageScreenWalkOptions) {
    this.size = o.size;
    // The kiosk's samples have no round trip (same machine): the newest is the best.
    this.sync = new FollowerSync({
      role: o.role, size: o.size, clock: { window: 1 }, ...(o.mean ? { mean: o.mean } : {}), ...(o.directions ? { directions: o.directions } : {}),
      ...(o.initial ? { initial: o.initial } : {}), ...(o.pulses ? { pulses: o.pulses } : {}),
    });
    this.local = new Walker({ size: o.size, ...(o.mean ? { mean: o.mean } : {}), ...(o.directions ? { directions: o.directions } : {}) });
    this.out = this.local.latent();
    this.from = new Float32Array(o.size);
    this.glide = new Float32Array(o.size);
    this.glideSeconds = o.glideSeconds ?? 1;
  }

  /** A screens protocol text relayed by the kiosk; false (and nothing changes) when it is not one or is refused. */
  receive(text: string): boolean {
    const p = parseLeaderMessage(text, this.size);
    if (!p.ok) {
      this.o.onRefused?.(p.error);
      return false;
    }
    // The kiosk's clock samples read both clocks at one instant on this machine (no round trip): exact however long
    // they waited. Taken as received when sent, since ScreenFeed holds them while the model loads (seconds): counted
    // as received now, half that wait became a clock error, slewed away at 5 %/s.
    const m = p.message;
    this.sync.receive(m, m.type === 'screen-pong' ? m.sent : this.o.now());
    return true;
  }

  tick(dt: number, bus: SitterBus): Float32Array {
    const z = this.sync.frame(this.o.now(), dt);
    if (z === null) {
      this.out = this.local.tick(dt, bus);
      return this.out;
    }
    if (!this.following) {
      // It walked alone until now: glide from there to the leader's walk, never a cut.
      this.following = true;
      this.from.set(this.local.latent());
      this.glideProgress = this.glideSeconds > 0 ? 0 : 1;
    }
    if (this.glideProgress < 1) {
      this.glideProgress = Math.min(1, this.glideProgress + dt / this.glideSeconds);
      slerpInto(this.from, z, EASINGS.smootherstep(this.glideProgress), this.glide);
      this.out = this.glide;
    } else {
      this.out = z;
    }
    return this.out;
  }

  latent(): Float32Array {
    return this.out;
  }

  siblingsInto(out: Float32Array): Float32Array {
    const lane = this.sync.currentLane();
    return this.following && lane ? lane.siblingsInto(out) : this.local.siblingsInto(out);
  }

  /** The lane being followed (null before the first state). */
  currentLane(): WalkLane | null {
    return this.sync.currentLane();
  }

  /** The leader's tempo at the lane's tick (null before the first state): the page's own pulses lock to its beat. */
  laneTempo(): TempoState | null {
    return this.sync.currentLane()?.tempo ?? null;
  }

  /** True once the leader's walk is being shown. */
  isFollowing(): boolean {
    return this.following;
  }

  tickNow(): number | null {
    return this.sync.currentLane()?.tick ?? null;
  }

  /** The shared walk at an earlier tick (for checks against other screens), or null. */
  laneLatentAt(tick: number): Float32Array | null {
    return this.sync.currentLane()?.latentAt(tick) ?? null;
  }
}

/**
 * Screens texts that arrive before the page's walk exists (the model is still loading): kept from the latest full
 * state on, so the walk starts from exactly what the kiosk sent. Bounded: a full state drops everything before it.
 */
export class ScreenFeed {
  private texts: string[] = [];
  private target: ((text: string) => void) | null = null;
  private static readonly MAX = 10_000;

  push(text: string): void {
    if (this.target) {
      this.target(text);
      return;
    }
    // Checked when the walk takes it (the latent size is not known yet): only the kind decides what is kept.
    const p = peekLeaderMessage(text);
    if (p === null) return;
    if (p.type === 'screen-state' && p.full) this.texts = [];
    if (this.texts.length < ScreenFeed.MAX) this.texts.push(text);
  }

  /** From now on texts go straight to `target`; the kept ones first. */
  connect(target: (text: string) => void): void {
    for (const t of this.texts) target(t);
    this.texts = [];
    this.target = target;
  }
}
