import { WebSocket, type RawData } from 'ws';
import type { BridgeOptions } from '../bridge/options.ts';
import { limitedWarn, type Logger } from '../server/log.ts';
import { errorMessage } from '../../src/core/error-message.ts';
import { guarded } from '../net/request-target.ts';
import {
  FollowerSync, LeaderSync, ScreenView, SCREENS_MAX_MESSAGE_BYTES, SCREENS_WS_PATH, encode, parseFollowerMessage, parseLeaderMessage, refusal,
  type FollowerToLeader, type LeaderAddress, type LeaderToFollower, type ScreenRole, type ScreensConfig, type WalkLane,
} from '../../src/core/screens/index.ts';
import type { ParamValue } from '../../src/core/params/types.ts';
import type { LatentDirection } from '../../src/core/latent/directions.ts';
import type { BeatPulse } from '../../src/core/tempo/pulse.ts';
import { deskChanges } from './desk-changes.ts';
import { PageLayerGate, TempoGate, type LayerChange } from './page-layers.ts';

/** The lane is stepped this often in the kiosk process (it catches up whole ticks; the page draws at its own rate). */
const STEP_MS = 50;
const PING_MS = 500;
const RECONNECT_MS = 1000;
/** Ticks between the latents /health publishes for comparison (every screen publishes the same ticks). */
const PROBE_EVERY_TICKS = 30;
/**
 * Ticks replayed per step at most when joining a long show: ~50 ms of work at 78 k ticks/s (bench screens-sync),
 * so the kiosk's sockets stay answered while an hour of show (216 k ticks) replays in ~3 s.
 */
const MAX_STEPS = 4000;
/** How often the kiosk tells its page the leader's clock, on the system clock both of them read. */
const PAGE_CLOCK_MS = 500;
/**
 * Round trips are the check on chrony: kiosks it keeps within a millisecond of each other never come near this. More
 * than 5 ms apart means chrony is not disciplining one of the clocks (logged once a minute; the walk still agrees,
 * on the round-trip offset).
 */
const CHRONY_SUSPECT_S = 0.005;

/** A screens message for this kiosk's own page, inside the page socket's own protocol. */
function forPage(m: LeaderToFollower): string {
  return JSON.stringify({ type: 'screens', message: encode(m) });
}

/** A clock sample on the system clock (the page's Date.now): no round trip, the kiosk is on the same machine. */
function pageClock(leaderNow: number): string {
  const sys = Date.now() / 1000;
  return forPage({ type: 'screen-pong', id: 0, sent: sys, leader: leaderNow });
}

export interface ScreenNodeOptions {
  readonly role: ScreenRole;
  readonly screens: ScreensConfig;
  readonly size: number;
  /** The card's truncation centre and the model's directions: the page's walker has them, so the lane must. */
  readonly mean?: Float32Array;
  readonly directions?: readonly LatentDirection[];
  readonly initial: Readonly<Record<string, ParamValue>>;
  /** The show's tempo pulses: the lane computes those on walk parameters itself, as every page's lane does. */
  readonly pulses?: readonly BeatPulse[];
  readonly now: () => number;
  readonly logger: Logger;
  /** Test-only clock shift in force (reported on /health). */
  readonly clockOffsetMs: number;
  /** Test-only checkpoint interval in ticks (SITTER_TEST_CHECKPOINT_TICKS); the lanes' default otherwise. */
  readonly checkpointTicks?: number;
}

export interface Traffic {
  messagesOut: number;
  bytesOut: number;
  messagesIn: number;
  bytesIn: number;
  /** Peer messages refused (malformed, another protocol version, binary, too large, or one the lane threw on): logged. */
  dropped: number;
}

/** One screen's part in the kiosk process: the lane (and, for a follower, the link to the leader). */
export interface ScreenNode {
  /** Hooks for startBridge (the leader hears the desk and takes followers on the bridge's own sockets). */
  readonly bridge: Pick<BridgeOptions, 'onForward' | 'peers' | 'onPageConnected' | 'onPageLayers' | 'onPageTempo'>;
  /** Where this kiosk's own pages are reached (the bridge's sendToPages), once the bridge runs. */
  attachPages(send: (text: string) => void): void;
  health(): Record<string, unknown>;
  close(): Promise<void>;
}

/** The latest aligned tick both a leader and its followers have: the probe /health shows, so tests can compare. */
function probe(lane: WalkLane | null, view: ScreenView | null): Record<string, unknown> {
  if (!lane) return { lane: null };
  const tick = Math.floor((lane.tick - PROBE_EVERY_TICKS) / PROBE_EVERY_TICKS) * PROBE_EVERY_TICKS;
  const z = tick >= 0 ? lane.latentAt(tick) : null;
  return {
    epoch: lane.epoch, tickRate: lane.tickRate, tick: lane.tick, changes: lane.changes().length, generation: lane.generation,
    // The log is bounded: it starts at logFloor (the older kept checkpoint); a change stamped before it is refused.
    logFloor: lane.logFloor, checkpoints: lane.checkpointTicksKept(), refused: lane.refused,
    probe: z ? { tick, latent: Array.from(z) } : null,
    shown: view ? Array.from(view.latent()) : null,
    rejoining: view?.rejoining() ?? false,
  };
}

/**
 * One timer for the earliest value a gate holds (`nextDueMs`, monotonic ms): each firing runs `fire` (which takes
 * what is due) and arms again while something is still held.
 */
function heldTimer(nextDueMs: () => number | null, fire: () => void): { arm(): void; clear(): void } {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const arm = (): void => {
    if (timer !== null) return;
    const next = nextDueMs();
    if (next === null) return;
    timer = setTimeout(() => {
      timer = null;
      fire();
      arm();
    }, Math.max(0, Math.ceil(next - performance.now())));
  };
  return {
    arm,
    clear: () => {
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}

export function startScreenLeader(o: ScreenNodeOptions): ScreenNode {
  const sync = new LeaderSync({
    screen: o.role.id, size: o.size, epoch: o.now(), initial: o.initial, ...(o.pulses ? { pulses: o.pulses } : {}), ...(o.mean ? { mean: o.mean } : {}), ...(o.directions ? { directions: o.directions } : {}), scheduleAheadSeconds: o.screens.scheduleAheadMs / 1000,
    historyTicks: Math.max(240, Math.ceil(-o.role.timeOffset * 60) + 2), ...(o.checkpointTicks !== undefined ? { checkpointTicks: o.checkpointTicks } : {}),
  });
  const view = new ScreenView(sync.lane, o.role);
  const followers = new Map<WebSocket, string>();
  const traffic: Traffic = { messagesOut: 0, bytesOut: 0, messagesIn: 0, bytesIn: 0, dropped: 0 };
  let flushQueued = false;
  let toPages: ((text: string) => void) | null = null;
  const send = (ws: WebSocket, m: LeaderToFollower): void => {
    if (ws.readyState !== ws.OPEN) return;
    const text = encode(m);
    traffic.messagesOut++;
    traffic.bytesOut += text.length;
    ws.send(text);
  };
  const broadcast = (m: LeaderToFollower): void => {
    for (const ws of followers.keys()) send(ws, m);
    toPages?.(forPage(m));
  };
  const publish = (): void => {
    flushQueued = false;
    broadcast(sync.delta(o.now()));
  };
  // Sent at once (batched per event-loop turn), not at the next periodic message.
  const publishSoon = (): void => {
    if (flushQueued) return;
    flushQueued = true;
    setImmediate(publish);
  };
  const step = setInterval(() => {
    const t = o.now();
    view.frame(sync.lane.tickAt(t), STEP_MS / 1000, MAX_STEPS);
  }, STEP_MS);
  // The page's layer reports: checked and held to 20/s per layer and parameter here, whatever the page does.
  const warn = limitedWarn(o.logger);
  const gate = new PageLayerGate();
  const stamp = (changes: readonly LayerChange[]): void => {
    if (changes.length === 0) return;
    const t = o.now();
    for (const c of changes) sync.change(c.source, c.name, c.value, t);
    publishSoon();
  };
  const layerTimer = heldTimer(() => gate.nextDueMs(), () => stamp(gate.due(performance.now())));
  // The page's tempo: stamped when it reports a correction, at most one every 50 ms (the newest held, never lost).
  const tempoGate = new TempoGate();
  const stampTempo = (): void => {
    const due = tempoGate.due(performance.now());
    if (due === null) return;
    sync.tempo(due.tempo, o.now(), due.at);
    publishSoon();
  };
  const tempoTimer = heldTimer(() => tempoGate.nextDueMs(), stampTempo);
  const periodic = setInterval(publish, 1000 / o.screens.publishHz);
  const clockToPage = setInterval(() => toPages?.(pageClock(o.now())), PAGE_CLOCK_MS);
  step.unref();
  periodic.unref();
  clockToPage.unref();
  return {
    attachPages: (sendText) => {
      toPages = sendText;
    },
    bridge: {
      onPageConnected: (sendText) => {
        sendText(forPage(sync.full(o.now())));
        sendText(pageClock(o.now()));
      },
      onForward: (bytes) => {
        const found = deskChanges(bytes);
        if (found.length === 0) return;
        const t = o.now();
        for (const c of found) sync.change('desk', c.name, c.value, t);
        publishSoon();
      },
      onPageLayers: (report) => {
        const r = gate.offer(report, performance.now());
        for (const f of r.refused) warn('screen-layers-dropped', { reason: f.reason, detail: f.detail });
        stamp(r.now);
        layerTimer.arm();
      },
      onPageTempo: (state) => {
        tempoGate.offer(state, o.now());
        stampTempo();
        tempoTimer.arm();
      },
      peers: {
        path: SCREENS_WS_PATH,
        maxPayload: SCREENS_MAX_MESSAGE_BYTES,
        onConnection: (ws, remote) => {
          followers.set(ws, '?');
          let refusedVersion = false;
          // ws's own WS_ERR_… codes are frames it refused to read (too large, broken; the bridge then closes the
          // socket): dropped messages like the rest. Other socket errors are only logged.
          ws.on('error', (e) => {
            if (String((e as { code?: unknown }).code ?? '').startsWith('WS_ERR_')) traffic.dropped++;
            warn('screen-message', { error: errorMessage(e), from: remote ?? null });
          });
          // A peer's message that the lane cannot take (it passed the parser but not the lane) is logged, never fatal.
          ws.on('message', guarded((data: RawData, isBinary: boolean) => {
            traffic.messagesIn++;
            if (isBinary) {
              traffic.dropped++;
              warn('screen-message', { error: 'binary frame', from: remote ?? null });
              return;
            }
            const text = data.toString();
            traffic.bytesIn += text.length;
            const p = parseFollowerMessage(text, o.size);
            if (!p.ok) {
              traffic.dropped++;
              if (p.mismatch) {
                // Said once per connection, and to the peer: its pings would otherwise log a line each.
                if (!refusedVersion) {
                  refusedVersion = true;
                  // It cannot read this leader's states: none are sent to it (its pings are still answered).
                  followers.delete(ws);
                  o.logger.warn('screen-protocol', { error: p.error, from: remote ?? null });
                  send(ws, refusal(p.error));
                }
                return;
              }
              // Rate-limited: a peer sending garbage in a loop must not fill the disk with the log.
              warn('screen-message', { error: p.error.slice(0, 300), from: remote ?? null });
              return;
            }
            if (p.message.type === 'screen-hello') {
              followers.set(ws, p.message.screen);
              o.logger.info('screen-joined', { screen: p.message.screen, from: remote ?? null, epoch: p.message.epoch });
            }
            const { reply, adopted } = sync.receive(p.message, o.now());
            if (adopted) {
              o.logger.info('screen-walk-adopted', { from: followers.get(ws) ?? '?', epoch: sync.lane.epoch, changes: sync.lane.changes().length });
              view.setLane(sync.lane);
              broadcast(sync.full(o.now()));
            } else if (reply) send(ws, reply);
          }, (e) => {
            traffic.dropped++;
            warn('screen-message', { error: errorMessage(e), from: remote ?? null });
          }));
          ws.on('close', () => followers.delete(ws));
        },
      },
    },
    health: () => ({
      screen: o.role.id, role: 'leader', followers: [...followers.values()].sort(), clockOffsetMs: o.clockOffsetMs, traffic: { ...traffic },
      pageLayers: { ...gate.counts, dropped: { ...gate.counts.dropped } }, pageTempo: { ...tempoGate.counts },
      ...probe(sync.lane, view),
    }),
    close: async () => {
      clearInterval(step);
      clearInterval(periodic);
      clearInterval(clockToPage);
      layerTimer.clear();
      tempoTimer.clear();
      for (const ws of followers.keys()) ws.terminate();
      followers.clear();
    },
  };
}

export function startScreenFollower(o: ScreenNodeOptions & { readonly leader: LeaderAddress }): ScreenNode {
  const sync = new FollowerSync({
    role: o.role, size: o.size, initial: o.initial, ...(o.pulses ? { pulses: o.pulses } : {}), maxStepsPerFrame: MAX_STEPS, ...(o.mean ? { mean: o.mean } : {}), ...(o.directions ? { directions: o.directions } : {}),
    ...(o.checkpointTicks !== undefined ? { checkpointTicks: o.checkpointTicks } : {}),
  });
  const traffic: Traffic = { messagesOut: 0, bytesOut: 0, messagesIn: 0, bytesIn: 0, dropped: 0 };
  let ws: WebSocket | null = null;
  let connected = false;
  let closed = false;
  let reconnect: ReturnType<typeof setTimeout> | null = null;
  let lastFrame = o.now();
  let toPages: ((text: string) => void) | null = null;
  /** Once per connection: a leader of another protocol version (or its refusal) is said once, not per message. */
  let versionSaid = false;
  let refusedSeen = 0;
  const warn = limitedWarn(o.logger);
  const host = o.leader.host.includes(':') ? `[${o.leader.host}]` : o.leader.host;
  const url = `ws://${host}:${o.leader.port}${SCREENS_WS_PATH}`;
  const send = (m: FollowerToLeader): void => {
    if (!ws || ws.readyState !== ws.OPEN) return;
    const text = encode(m);
    traffic.messagesOut++;
    traffic.bytesOut += text.length;
    ws.send(text);
  };
  const connect = (): void => {
    reconnect = null;
    if (closed) return;
    const sock = new WebSocket(url, { handshakeTimeout: 3000, maxPayload: SCREENS_MAX_MESSAGE_BYTES });
    ws = sock;
    sock.on('open', () => {
      connected = true;
      versionSaid = false;
      o.logger.info('screen-leader-connected', { screen: o.role.id, leader: url });
      send(sync.hello());
      send(sync.ping(o.now()));
    });
    sock.on('message', guarded((data: RawData, isBinary: boolean) => {
      traffic.messagesIn++;
      if (isBinary) {
        traffic.dropped++;
        return;
      }
      const text = data.toString();
      traffic.bytesIn += text.length;
      const p = parseLeaderMessage(text, o.size);
      if (!p.ok) {
        traffic.dropped++;
        if (p.mismatch && versionSaid) return;
        if (p.mismatch) versionSaid = true;
        warn(p.mismatch ? 'screen-protocol' : 'screen-message', { error: p.error.slice(0, 300), from: url });
        return;
      }
      if (p.message.type === 'screen-refused') {
        if (!versionSaid) o.logger.warn('screen-protocol', { error: p.message.reason, from: url });
        versionSaid = true;
        return;
      }
      sync.receive(p.message, o.now());
      const refused = sync.currentLane()?.refused ?? 0;
      if (refused > refusedSeen) {
        // Stamped before the log's floor (older than the kept checkpoints): it cannot be replayed exactly, so not at all.
        o.logger.warn('screen-change-refused', { screen: o.role.id, refused, logFloor: sync.currentLane()?.logFloor ?? null });
      }
      refusedSeen = refused;
      // The page walks the same lane: it gets the leader's states as they come (clocks come from us, below).
      if (p.message.type === 'screen-state') toPages?.(JSON.stringify({ type: 'screens', message: text }));
    }, (e) => {
      traffic.dropped++;
      warn('screen-message', { error: errorMessage(e), from: url });
    }));
    sock.on('error', (e) => {
      // ws's own WS_ERR_… codes are frames it refused to read (too large, broken): a dropped message like the rest.
      if (String((e as { code?: unknown }).code ?? '').startsWith('WS_ERR_')) traffic.dropped++;
      if (connected) o.logger.warn('screen-leader-error', { error: errorMessage(e) });
    });
    sock.on('close', () => {
      if (connected) o.logger.warn('screen-leader-lost', { screen: o.role.id, leader: url });
      connected = false;
      sync.disconnected();
      if (ws === sock) ws = null;
      if (!closed) reconnect = setTimeout(connect, RECONNECT_MS);
    });
  };
  connect();
  const step = setInterval(() => {
    const t = o.now();
    sync.frame(t, Math.max(0, t - lastFrame));
    lastFrame = t;
  }, STEP_MS);
  const ping = setInterval(() => send(sync.ping(o.now())), PING_MS);
  let lastClockWarn = Number.NEGATIVE_INFINITY;
  const clockToPage = setInterval(() => {
    if (!sync.clock.locked()) return;
    toPages?.(pageClock(sync.leaderTime(o.now())));
    const est = sync.clock.estimate();
    const t = o.now();
    if (est !== null && Math.abs(est) > CHRONY_SUSPECT_S && t - lastClockWarn > 60) {
      lastClockWarn = t;
      o.logger.warn('screen-clock-apart', { screen: o.role.id, offsetMs: Math.round(est * 1000), hint: 'is chrony syncing this kiosk and the leader? (chronyc tracking)' });
    }
  }, PAGE_CLOCK_MS);
  step.unref();
  ping.unref();
  clockToPage.unref();
  return {
    attachPages: (sendText) => {
      toPages = sendText;
    },
    bridge: {
      onPageConnected: (sendText) => {
        const full = sync.snapshot(o.now());
        if (full) sendText(forPage(full));
        if (sync.clock.locked()) sendText(pageClock(sync.leaderTime(o.now())));
      },
    },
    health: () => ({
      screen: o.role.id, role: 'follower', leader: url, connected, cue: sync.cue(), clockOffsetMs: o.clockOffsetMs,
      clock: {
        offset: sync.clock.offset(), estimate: sync.clock.estimate(), uncertainty: sync.clock.uncertainty(),
        // The system clocks agree as chrony should keep them (the round trips' check).
        systemClocksAgree: (() => {
          const e = sync.clock.estimate();
          return e === null ? null : Math.abs(e) <= CHRONY_SUSPECT_S;
        })(),
      },
      traffic: { ...traffic },
      ...probe(sync.currentLane(), sync.currentView()),
    }),
    close: async () => {
      closed = true;
      clearInterval(step);
      clearInterval(ping);
      clearInterval(clockToPage);
      if (reconnect) clearTimeout(reconnect);
      ws?.terminate();
      ws = null;
    },
  };
}
