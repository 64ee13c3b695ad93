import type { ParameterBus } from '../params/bus.ts';
import { coerce, fromNormalised } from '../params/coerce.ts';
import type { ParamSpec, ParamValue } from '../params/types.ts';
import { AddressSpace, DEFAULT_PREFIX, type Route } from './address-space.ts';
import { argsForSpec, numberArg } from './args.ts';
import { Coalescer } from './coalescer.ts';
import { readCommand } from './commands.ts';
import type { AddressForm, EchoGuard } from './echo-guard.ts';
import type { LearnTable } from './learn.ts';
import { flattenPacket } from './packet.ts';
import { DropCounter, emptyStats, type OscStats } from './stats.ts';
import type { DeskCommand, DropLogger, DropReason, OscMessage } from './types.ts';

export interface RouterOptions {
  readonly bus: ParameterBus;
  /** Receives every command at flush time, in arrival order. */
  readonly onCommand?: (command: DeskCommand) => void;
  /** Rate-limited log of drops (at most a few lines per reason per second); every drop is counted in `stats`. */
  readonly log?: DropLogger;
  readonly prefix?: string;
  /** Learned foreign addresses; without one, /sitter/learn is an unknown address. */
  readonly learn?: LearnTable;
  /** Told about every desk write, so feedback does not bounce it back. */
  readonly echoGuard?: EchoGuard;
  /** Distinct targets held per frame before further new ones are dropped as 'rate-limit'. */
  readonly maxPending?: number;
  /** Future-timetagged messages held at once. */
  readonly maxScheduled?: number;
  /** A timetag further ahead than this is taken as a desk with a wrong clock: applied at once. */
  readonly maxScheduleAheadMs?: number;
}

type Pending =
  | { readonly kind: 'param'; readonly spec: ParamSpec; readonly value: ParamValue; readonly form: AddressForm | 'learned'; readonly sent: number | boolean | string }
  | { readonly kind: 'command'; readonly command: DeskCommand };

interface Scheduled {
  readonly atMs: number;
  readonly message: OscMessage;
}

/**
 * The desk's way into the show. receive() reads, matches and coerces at once (so every drop is counted when it
 * happens) and holds the latest value per target; flush() — once per frame — writes them to the bus with source
 * 'desk' and hands commands to the app. Time is always passed in (epoch milliseconds, to compare with timetags).
 */
export class OscRouter {
  readonly stats: OscStats = emptyStats();
  readonly space: AddressSpace;
  private readonly bus: ParameterBus;
  private readonly options: RouterOptions;
  private readonly drops: DropCounter;
  private readonly pending: Coalescer<Pending>;
  private readonly scheduled: Scheduled[] = [];
  private readonly prefixSlash: string;

  constructor(options: RouterOptions) {
    this.options = options;
    this.bus = options.bus;
    this.space = new AddressSpace(options.bus.specs(), options.prefix ?? DEFAULT_PREFIX);
    this.prefixSlash = `${this.space.prefix}/`;
    this.drops = new DropCounter(this.stats, options.log);
    this.pending = new Coalescer(options.maxPending ?? 1024);
  }

  /** Messages waiting for the next flush (distinct targets) and for their timetag. */
  get backlog(): { pending: number; scheduled: number } {
    return { pending: this.pending.size, scheduled: this.scheduled.length };
  }

  /** For transports: a packet they could not decode or refused still counts (malformed, oversize, not-allowed). */
  drop(reason: DropReason, address: string, detail: string, nowMs: number): void {
    this.drops.drop(reason, address, detail, nowMs);
  }

  /** A decoded packet (osc-js Packet.value: a Message or a Bundle). */
  receivePacket(value: unknown, nowMs: number): void {
    const f = flattenPacket(value);
    if (!f.ok) {
      this.drops.drop('malformed', '', f.error, nowMs);
      return;
    }
    for (const m of f.messages) this.receive(m.message, nowMs, m.timetagMs);
  }

  receive(message: OscMessage, nowMs: number, timetagMs: number | null = null): void {
    this.stats.received++;
    if (timetagMs !== null && timetagMs > nowMs && timetagMs - nowMs <= (this.options.maxScheduleAheadMs ?? 10_000)) {
      this.schedule(message, timetagMs, nowMs);
      return;
    }
    this.route(message, nowMs);
  }

  /** Applies everything due: held timetags first, then the latest value per target. Returns the writes made. */
  flush(nowMs: number): number {
    while (this.scheduled.length > 0 && (this.scheduled[0] as Scheduled).atMs <= nowMs) {
      this.route((this.scheduled.shift() as Scheduled).message, nowMs);
    }
    return this.pending.drain((p) => this.apply(p, nowMs));
  }

  private schedule(message: OscMessage, atMs: number, nowMs: number): void {
    if (this.scheduled.length >= (this.options.maxScheduled ?? 256)) {
      this.drops.drop('rate-limit', message.address, 'too many future-timetagged messages held', nowMs);
      return;
    }
    this.stats.scheduled++;
    // Few entries: keep the array sorted by due time with a linear insert (stable for equal times).
    let i = this.scheduled.length;
    while (i > 0 && (this.scheduled[i - 1] as Scheduled).atMs > atMs) i--;
    this.scheduled.splice(i, 0, { atMs, message });
  }

  private route(message: OscMessage, nowMs: number): void {
    const address = message.address;
    const found = this.space.lookup(address);
    if (!found.ok) {
      this.drops.drop('bad-pattern', address, found.error, nowMs);
      return;
    }
    if (found.routes.length === 0) {
      if (!address.startsWith(this.prefixSlash) && this.routeLearned(message, nowMs)) return;
      this.drops.drop('unknown-address', address, 'no parameter or command here', nowMs);
      return;
    }
    for (const r of found.routes) this.routeOne(r, message, nowMs);
  }

  private routeOne(route: Route, message: OscMessage, nowMs: number): void {
    if (route.kind === 'command') {
      const c = readCommand(route.command, message, route.cueIndex, this.options.learn);
      if (c.ok === 'released') this.stats.released++;
      else if (c.ok === false) this.drops.drop(c.reason, route.address, c.detail, nowMs);
      else this.offer(`c:${route.address}`, { kind: 'command', command: c.command }, route.address, nowMs);
      return;
    }
    const spec = route.spec;
    if (spec.access !== 'rw') {
      this.drops.drop('read-only', route.address, `${spec.name} is reported by the app`, nowMs);
      return;
    }
    let sent: number | boolean | string;
    let value: ParamValue;
    if (route.normalised) {
      const n = numberArg(message);
      if (!n.ok) return this.drops.drop(n.reason, route.address, n.detail, nowMs);
      const c = fromNormalised(spec, n.value);
      if (!c.ok) return this.drops.drop('wrong-type', route.address, `expected ${c.expected}, got ${c.got}`, nowMs);
      if (c.clamped) this.stats.clamped++;
      sent = n.value;
      value = c.value;
    } else {
      const a = argsForSpec(spec, message);
      if (!a.ok) return this.drops.drop(a.reason, route.address, a.detail, nowMs);
      const c = coerce(spec, a.value);
      if (!c.ok) return this.drops.drop('wrong-type', route.address, `expected ${c.expected}, got ${c.got}`, nowMs);
      if (c.clamped) this.stats.clamped++;
      // Booleans as 1/0: feedback encodes them so, and the echo guard compares like with like.
      sent = Array.isArray(a.value) ? Number.NaN : typeof a.value === 'boolean' ? (a.value ? 1 : 0) : (a.value as number | string);
      value = c.value;
    }
    this.offer(`p:${spec.name}`, { kind: 'param', spec, value, form: route.normalised ? 'norm' : 'unit', sent }, route.address, nowMs);
  }

  /** A foreign address: a learned mapping, or the one learn mode is waiting for. */
  private routeLearned(message: OscMessage, nowMs: number): boolean {
    const learn = this.options.learn;
    if (!learn) return false;
    let mapping = learn.get(message.address);
    let bound = false;
    if (!mapping) {
      if (learn.armed === null) return false;
      const first = numberArg(message);
      // Learn waits for a control that sends a number; anything else passes by (and is an unknown address).
      if (!first.ok) return false;
      mapping = learn.bind(message.address, first.value) ?? undefined;
      if (!mapping) return false;
      bound = true;
    }
    const n = numberArg(message, mapping.argIndex);
    if (!n.ok) {
      this.drops.drop(n.reason, message.address, n.detail, nowMs);
      return true;
    }
    const spec = this.bus.spec(mapping.param);
    if (!spec) {
      this.drops.drop('unknown-address', message.address, `learned parameter ${mapping.param} no longer exists`, nowMs);
      return true;
    }
    const c = fromNormalised(spec, learn.normalise(mapping, n.value));
    if (!c.ok) {
      this.drops.drop('wrong-type', message.address, `expected ${c.expected}, got ${c.got}`, nowMs);
      return true;
    }
    this.stats.learned++;
    if (bound) this.offer(`c:learn-bound`, { kind: 'command', command: { kind: 'learn-bound', param: mapping.param, address: mapping.address } }, message.address, nowMs);
    this.offer(`p:${spec.name}`, { kind: 'param', spec, value: c.value, form: 'learned', sent: n.value }, message.address, nowMs);
    return true;
  }

  private offer(key: string, p: Pending, address: string, nowMs: number): void {
    const r = this.pending.offer(key, p);
    if (r === 'replaced') this.stats.coalesced++;
    else if (r === 'full') this.drops.drop('rate-limit', address, `more than ${this.pending.limit} targets in one frame`, nowMs);
  }

  private apply(p: Pending, nowMs: number): void {
    if (p.kind === 'command') {
      let command = p.command;
      if (command.kind === 'blackout') {
        const fade = this.bus.has('master/fade-seconds') ? this.bus.number('master/fade-seconds') : 0;
        command = { ...command, fadeSeconds: fade };
      } else if (command.kind === 'panic') {
        this.options.echoGuard?.forget();
      }
      this.stats.commands++;
      this.options.onCommand?.(command);
      return;
    }
    const r = this.bus.set(p.spec.name, p.value, 'desk');
    if (!r.ok) {
      this.drops.drop('wrong-type', p.spec.name, r.error, nowMs);
      return;
    }
    this.stats.applied++;
    if (p.form !== 'learned') this.options.echoGuard?.noteDesk(p.spec.name, p.form, p.sent, nowMs);
    if (p.spec.name === 'walk/seed' && typeof r.value === 'number') {
      this.stats.commands++;
      this.options.onCommand?.({ kind: 'walk-seed', seed: r.value });
    }
  }
}
