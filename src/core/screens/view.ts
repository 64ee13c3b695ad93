import type { LatentDirection } from '../latent/directions.ts';
import { EASINGS } from '../latent/easing.ts';
import { slerpInto } from '../latent/slerp.ts';
import type { WalkLane } from './lane.ts';
import { roleLatentInto } from './role-latent.ts';
import type { ScreenRole } from './types.ts';

export interface ScreenViewOptions {
  /** After a replay (rejoin, late change) the picture glides from what was shown to the corrected walk this long. */
  readonly rejoinSeconds?: number;
  readonly directions?: readonly LatentDirection[];
}

/**
 * What one screen shows of the lane, frame by frame: its role (time offset, portrait, steering) applied to the shared
 * walk. When the lane restarts to replay, the screen holds its last picture until the lane has caught up, then
 * glides to the corrected walk (smootherstep slerp): a rejoin is never a cut.
 */
export class ScreenView {
  private readonly out: Float32Array;
  private readonly from: Float32Array;
  private readonly scratch: Float32Array;
  private readonly target: Float32Array;
  private readonly ahead: Float32Array;
  private readonly offsetTicks: number;
  private gen: number;
  private shown = false;
  private blend = 1;
  private readonly rejoinSeconds: number;
  private readonly directions: readonly LatentDirection[];

  constructor(private lane: WalkLane, readonly role: ScreenRole, options: ScreenViewOptions = {}) {
    const n = lane.size;
    this.out = new Float32Array(n);
    this.from = new Float32Array(n);
    this.scratch = new Float32Array(n);
    this.target = new Float32Array(n);
    this.offsetTicks = Math.round(role.timeOffset * lane.tickRate);
    this.ahead = new Float32Array(Math.max(0, this.offsetTicks) * n);
    this.gen = lane.generation;
    this.rejoinSeconds = options.rejoinSeconds ?? 1;
    this.directions = options.directions ?? [];
  }

  /** Brings the lane to `targetTick` (at most maxSteps per frame) and returns this screen's latent (own buffer). */
  frame(targetTick: number, dt: number, maxSteps = 600): Float32Array {
    this.lane.advanceTo(targetTick, maxSteps);
    const restarted = this.lane.generation !== this.gen;
    if (restarted && this.shown && this.blend >= 1) {
      this.from.set(this.out);
      this.blend = 0;
    }
    this.gen = this.lane.generation;
    // Catching up after a replay: hold the last picture rather than show the walk's past.
    if (this.shown && this.lane.tick < targetTick) return this.out;
    const shared = this.shared();
    if (!shared) return this.out;
    roleLatentInto(shared, this.role, this.directions, this.scratch, this.target);
    if (this.blend < 1) {
      this.blend = this.rejoinSeconds > 0 ? Math.min(1, this.blend + dt / this.rejoinSeconds) : 1;
      slerpInto(this.from, this.target, EASINGS.smootherstep(this.blend), this.out);
    } else {
      this.out.set(this.target);
    }
    this.shown = true;
    return this.out;
  }

  /** Follows another lane from now on (a new epoch from the leader): like a replay, a glide, never a cut. */
  setLane(lane: WalkLane): void {
    if (lane.size !== this.lane.size) throw new RangeError(`ScreenView.setLane: latent sizes differ (${lane.size} vs ${this.lane.size})`);
    this.lane = lane;
    this.gen = Number.NaN;
  }

  /** The last latent shown. */
  latent(): Float32Array {
    return this.out;
  }

  rejoining(): boolean {
    return this.blend < 1;
  }

  private shared(): Float32Array | null {
    const d = this.offsetTicks;
    if (d === 0) return this.lane.latent();
    if (d < 0) return this.lane.latentAt(this.lane.tick + d) ?? this.lane.latentAt(0);
    this.lane.lookahead(d, this.ahead);
    return this.ahead.subarray((d - 1) * this.lane.size, d * this.lane.size);
  }
}
