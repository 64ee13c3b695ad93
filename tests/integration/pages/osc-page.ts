/**
 * The page side of the OSC integration test: the real client, router, feedback and ParameterBus, with a frame loop
 * on requestAnimationFrame, as the app will run them. The test drives it through window.__osc.
 */
import { EchoGuard } from '../../../src/core/osc/echo-guard.ts';
import { Feedback } from '../../../src/core/osc/feedback.ts';
import { OscRouter } from '../../../src/core/osc/router.ts';
import type { OscStats } from '../../../src/core/osc/stats.ts';
import type { DeskCommand } from '../../../src/core/osc/types.ts';
import { ParameterBus } from '../../../src/core/params/bus.ts';
import { PARAMS } from '../../../src/core/params/catalogue.ts';
import type { ParamValue, Source } from '../../../src/core/params/types.ts';
import { connectOscClient, type OscClientStatus } from '../../../src/input/osc-client.ts';

export interface OscPageApi {
  status(): OscClientStatus;
  attempts(): number;
  target(name: string): ParamValue;
  owner(name: string): Source;
  set(name: string, value: ParamValue, source: Source): boolean;
  stats(): OscStats;
  readonly commands: DeskCommand[];
  /** Timers the OSC client created that have neither fired nor been cleared. */
  liveClientTimers(): number;
  frames(): number;
  dispose(): void;
}

declare global {
  interface Window {
    __osc?: OscPageApi;
  }
}

// Count the client's own timers (by call stack), so the test can prove dispose() leaves none behind.
const live = new Set<number>();
const realSet = window.setTimeout.bind(window);
const realClear = window.clearTimeout.bind(window);
const patchedSet = (handler: TimerHandler, timeout?: number, ...args: unknown[]): number => {
  const mine = (new Error().stack ?? '').includes('osc-client');
  const id: number = realSet(() => {
    live.delete(id);
    if (typeof handler === 'function') (handler as (...a: unknown[]) => void)(...args);
  }, timeout);
  if (mine) live.add(id);
  return id;
};
window.setTimeout = patchedSet as typeof window.setTimeout;
window.clearTimeout = ((id?: number) => {
  if (id !== undefined) live.delete(id);
  realClear(id);
}) as typeof window.clearTimeout;

const url = new URL(location.href).searchParams.get('ws') ?? '';
const bus = new ParameterBus(PARAMS);
const guard = new EchoGuard(300);
const commands: DeskCommand[] = [];
const router = new OscRouter({ bus, echoGuard: guard, onCommand: (c) => commands.push(c) });
const feedback = new Feedback({ specs: PARAMS, echoGuard: guard });
const unfollow = feedback.attach(bus);
const client = connectOscClient({ url, bus, router, feedback, backoff: { initialMs: 100, maxMs: 1000 } });

let frames = 0;
let running = true;
const loop = (): void => {
  if (!running) return;
  frames++;
  client.frame(Date.now());
  bus.tick(1 / 60);
  requestAnimationFrame(loop);
};
requestAnimationFrame(loop);

window.__osc = {
  status: () => client.status,
  attempts: () => client.attempts,
  target: (name) => bus.target(name),
  owner: (name) => bus.owner(name),
  set: (name, value, source) => bus.set(name, value, source).ok,
  stats: () => router.stats,
  commands,
  liveClientTimers: () => live.size,
  frames: () => frames,
  dispose: () => {
    running = false;
    client.dispose();
    unfollow();
  },
};
