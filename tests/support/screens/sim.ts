import { FollowerSync, LeaderSync, encode, parseFollowerMessage, parseLeaderMessage, type FollowerToLeader, type LeaderToFollower, type ScreenRole } from '../../../src/core/screens/index.ts';

/** A seeded uniform source (mulberry32), so every simulated network run is the same run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const role = (id: string, extra: Partial<ScreenRole> = {}): ScreenRole => ({ id, timeOffset: 0, latent: null, steer: null, tile: null, rotation: 0, ...extra });

interface InFlight {
  readonly at: number;
  readonly text: string;
}

/** One ordered, delayed, jittered link (a TCP connection: late, never reordered). Messages go through the real codec. */
export class Link {
  private queue: InFlight[] = [];
  private last = 0;
  constructor(private readonly base: number, private readonly jitter: number, private readonly random: () => number) {}
  send(now: number, text: string): void {
    const at = Math.max(this.last, now + this.base + this.jitter * this.random());
    this.last = at;
    this.queue.push({ at, text });
  }
  due(now: number): string[] {
    const out: string[] = [];
    while (this.queue.length > 0 && (this.queue[0] as InFlight).at <= now) out.push((this.queue.shift() as InFlight).text);
    return out;
  }
  drop(): void {
    this.queue = [];
  }
}

export interface SimScreen {
  readonly sync: FollowerSync;
  /** This machine's clock minus true time. */
  readonly skew: number;
  /** Frame phase: frames at phase + k/fps of true time. */
  readonly phase: number;
  readonly fps: number;
  up: Link;
  down: Link;
  connected: boolean;
  nextFrame: number;
  nextPing: number;
  shown: Float32Array | null;
}

/**
 * Leader and followers on one simulated timeline (true time t). Each machine reads its own skewed clock; every
 * message is encoded, delayed and parsed as the kiosks do it.
 */
export class Sim {
  t = 0;
  leader: LeaderSync;
  leaderSkew: number;
  readonly screens: SimScreen[] = [];
  private nextPublish = 0;
  private readonly random: () => number;
  bytes = 0;

  /** `checkpointTicks`: the lanes' checkpoint interval (default 10 min; seconds here, so joins go through checkpoints). */
  constructor(readonly size: number, leaderSkew: number, seed = 1, private readonly publishEvery = 0.5, private readonly checkpointTicks?: number) {
    this.random = rng(seed);
    this.leaderSkew = leaderSkew;
    this.leader = this.newLeader();
  }

  newLeader(): LeaderSync {
    return new LeaderSync({
      screen: 'main', size: this.size, epoch: this.t + this.leaderSkew, scheduleAheadSeconds: 0.1,
      ...(this.checkpointTicks !== undefined ? { checkpointTicks: this.checkpointTicks } : {}),
    });
  }

  leaderNow(): number {
    return this.t + this.leaderSkew;
  }

  addFollower(r: ScreenRole, skew: number, phase: number, fps = 60): SimScreen {
    const s: SimScreen = {
      sync: new FollowerSync({ role: r, size: this.size, ...(this.checkpointTicks !== undefined ? { checkpointTicks: this.checkpointTicks } : {}) }), skew, phase, fps,
      up: new Link(0.002, 0.03, this.random), down: new Link(0.002, 0.03, this.random), connected: false,
      nextFrame: this.t + phase, nextPing: this.t, shown: null,
    };
    this.screens.push(s);
    this.connect(s);
    return s;
  }

  connect(s: SimScreen): void {
    s.connected = true;
    this.sendUp(s, s.sync.hello());
  }

  disconnect(s: SimScreen): void {
    s.connected = false;
    s.up.drop();
    s.down.drop();
    s.sync.disconnected();
  }

  private sendUp(s: SimScreen, m: FollowerToLeader): void {
    const text = encode(m);
    this.bytes += text.length;
    s.up.send(this.t, text);
  }

  private sendDown(s: SimScreen, m: LeaderToFollower): void {
    if (!s.connected) return;
    const text = encode(m);
    this.bytes += text.length;
    s.down.send(this.t, text);
  }

  broadcast(m: LeaderToFollower): void {
    for (const s of this.screens) this.sendDown(s, m);
  }

  /** Runs until true time `until`, in 1 ms steps; `each` sees every follower frame. */
  run(until: number, each?: (s: SimScreen) => void): void {
    const step = 0.001;
    while (this.t < until - 1e-12) {
      this.t += step;
      const ln = this.leaderNow();
      this.leader.advance(ln);
      for (const s of this.screens) {
        if (!s.connected) continue;
        for (const text of s.up.due(this.t)) {
          const p = parseFollowerMessage(text, this.size);
          if (!p.ok) throw new Error(p.error);
          const { reply, adopted } = this.leader.receive(p.message, this.leaderNow());
          if (adopted) this.broadcast(this.leader.full(this.leaderNow()));
          else if (reply) this.sendDown(s, reply);
        }
        for (const text of s.down.due(this.t)) {
          const p = parseLeaderMessage(text, this.size);
          if (!p.ok) throw new Error(p.error);
          s.sync.receive(p.message, this.t + s.skew);
        }
        if (this.t >= s.nextPing) {
          this.sendUp(s, s.sync.ping(this.t + s.skew));
          s.nextPing = this.t + 0.5;
        }
      }
      if (this.leader.hasPending() || this.t >= this.nextPublish) {
        this.broadcast(this.leader.delta(this.leaderNow()));
        this.nextPublish = this.t + this.publishEvery;
      }
      for (const s of this.screens) {
        if (this.t + 1e-12 < s.nextFrame) continue;
        s.shown = s.sync.frame(this.t + s.skew, 1 / s.fps);
        s.nextFrame += 1 / s.fps;
        each?.(s);
      }
    }
  }
}
