import { errorMessage } from '../core/error-message.ts';
import { MidiFeedback } from '../core/midi/feedback.ts';
import { MidiRouter, type ClockEvent } from '../core/midi/router.ts';
import type { MidiTable } from '../core/midi/table.ts';
import type { MidiCommand } from '../core/midi/types.ts';
import { EchoGuard } from '../core/osc/echo-guard.ts';
import type { ParameterBus } from '../core/params/bus.ts';

/**
 * The slice of Web MIDI this adapter uses. The real MIDIAccess has this shape; a test's virtual port has it too
 * and goes through exactly the same listeners.
 */
export interface MidiPortLike extends EventTarget {
  readonly id: string;
  readonly name: string | null;
  readonly manufacturer?: string | null;
  readonly state: 'connected' | 'disconnected';
  open?(): Promise<unknown>;
  close?(): Promise<unknown>;
}
export interface MidiOutputLike extends MidiPortLike {
  send(data: number[] | Uint8Array, timestamp?: number): void;
}
export interface MidiAccessLike extends EventTarget {
  readonly inputs: ReadonlyMap<string, MidiPortLike>;
  readonly outputs: ReadonlyMap<string, MidiOutputLike>;
}

export interface MidiInputOptions {
  readonly bus: ParameterBus;
  readonly table: MidiTable;
  /** Substring of the input names to listen to (null: every input). */
  readonly input: string | null;
  /** Substring of the output names feedback goes to (null: outputs whose name matches `input`; none if both null). */
  readonly output: string | null;
  readonly feedback: boolean;
  readonly feedbackRateHz: number;
  readonly onCommand: (command: MidiCommand) => void;
  readonly onClock?: (event: ClockEvent, atMs: number) => void;
  readonly log: (level: 'info' | 'warn', message: string) => void;
  /** Default: navigator.requestMIDIAccess({ sysex: false }). */
  readonly requestAccess?: () => Promise<MidiAccessLike>;
  /** The clock MIDIMessageEvent.timeStamp is on (performance.now). */
  readonly now?: () => number;
}

export interface MidiPorts {
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

const portName = (p: MidiPortLike): string => p.name ?? p.id;
const matches = (p: MidiPortLike, filter: string | null): boolean =>
  filter === null || portName(p).toLowerCase().includes(filter.toLowerCase());

/**
 * MIDI controllers in the page: every matching input feeds the MIDI router (bus writes as 'desk', cue buttons,
 * clock), feedback goes to matching outputs. Ports plugged in or out while running are picked up from the access
 * object's statechange events, without a reload. dispose() removes every listener it added and closes the ports it
 * opened.
 */
export class MidiInput {
  readonly router: MidiRouter;
  private readonly feedback: MidiFeedback | null;
  private readonly o: MidiInputOptions;
  private readonly now: () => number;
  private access: MidiAccessLike | null = null;
  private readonly listening = new Map<string, MidiPortLike>();
  private outputs: MidiOutputLike[] = [];
  private readonly unfollow: (() => void) | null;
  private disposed = false;
  private readonly onMessage = (e: Event): void => {
    const data = (e as Event & { data?: Uint8Array | null }).data;
    if (data) this.router.receive(data, e.timeStamp > 0 ? e.timeStamp : this.now());
  };
  private readonly onState = (): void => this.scan();

  private constructor(o: MidiInputOptions) {
    this.o = o;
    this.now = o.now ?? (() => performance.now());
    const guard = new EchoGuard(300);
    this.router = new MidiRouter({ bus: o.bus, table: o.table, echoGuard: guard, onCommand: o.onCommand, onClock: o.onClock });
    this.feedback = o.feedback ? new MidiFeedback({ specs: o.bus.specs(), table: o.table, echoGuard: guard, intervalMs: 1000 / Math.max(1, o.feedbackRateHz) }) : null;
    this.unfollow = this.feedback ? this.feedback.attach(o.bus) : null;
  }

  /**
   * Asks for MIDI access (no sysex: a controller needs none, and sysex can reprogram devices). Without it (no
   * permission, no MIDI subsystem on the machine) the show runs on without MIDI, and says why.
   */
  static async open(o: MidiInputOptions): Promise<MidiInput> {
    const m = new MidiInput(o);
    const request = o.requestAccess ?? (() => navigator.requestMIDIAccess({ sysex: false }) as Promise<unknown> as Promise<MidiAccessLike>);
    try {
      const access = await request();
      if (m.disposed) return m;
      m.access = access;
      access.addEventListener('statechange', m.onState);
      m.scan();
    } catch (e) {
      o.log('warn', `MIDI unavailable (${errorMessage(e)}); running without controllers`);
    }
    return m;
  }

  ports(): MidiPorts {
    return { inputs: [...this.listening.values()].map(portName), outputs: this.outputs.map(portName) };
  }

  /** Once per display frame: the frame's MIDI input onto the bus, then feedback out. */
  frame(): void {
    const now = this.now();
    this.router.flush(now);
    if (!this.feedback || this.outputs.length === 0) return;
    const out = this.feedback.tick(now);
    for (const bytes of out) this.send(bytes);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.access?.removeEventListener('statechange', this.onState);
    for (const p of this.listening.values()) this.stopListening(p);
    this.listening.clear();
    this.outputs = [];
    this.unfollow?.();
    this.access = null;
  }

  /** Brings the listened inputs and the feedback outputs in line with what is plugged in now. */
  private scan(): void {
    const access = this.access;
    if (!access || this.disposed) return;
    for (const [id, p] of this.listening) {
      const now = access.inputs.get(id);
      if (!now || now.state !== 'connected') {
        this.stopListening(p);
        this.listening.delete(id);
        this.o.log('info', `MIDI input gone: ${portName(p)}`);
      }
    }
    for (const p of access.inputs.values()) {
      if (p.state !== 'connected' || this.listening.has(p.id) || !matches(p, this.o.input)) continue;
      p.addEventListener('midimessage', this.onMessage);
      // addEventListener does not open a port everywhere (onmidimessage= does); open it explicitly.
      p.open?.().catch((e: unknown) => this.o.log('warn', `MIDI input ${portName(p)} would not open: ${errorMessage(e)}`));
      this.listening.set(p.id, p);
      this.o.log('info', `MIDI input: ${portName(p)}`);
    }
    const filter = this.o.output ?? this.o.input;
    const before = new Set(this.outputs.map((p) => p.id));
    this.outputs = filter === null ? [] : [...access.outputs.values()].filter((p) => p.state === 'connected' && matches(p, filter));
    // A controller just plugged in shows whatever its faders and lights last held: send it the whole state.
    const fresh = this.outputs.filter((p) => !before.has(p.id));
    if (this.feedback && fresh.length > 0) {
      const all = this.feedback.full(this.o.bus.snapshot());
      for (const p of fresh) for (const bytes of all) this.sendTo(p, bytes);
    }
  }

  private stopListening(p: MidiPortLike): void {
    p.removeEventListener('midimessage', this.onMessage);
    p.close?.().catch(() => undefined);
  }

  private send(bytes: readonly number[]): void {
    for (const p of this.outputs) this.sendTo(p, bytes);
  }

  private sendTo(p: MidiOutputLike, bytes: readonly number[]): void {
    try {
      p.send([...bytes]);
    } catch (e) {
      // Unplugged between statechange and this frame: the next scan drops it.
      this.o.log('warn', `MIDI output ${portName(p)}: ${errorMessage(e)}`);
    }
  }
}
