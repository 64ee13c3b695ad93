import type { MidiTable } from '../core/midi/table.ts';
import type { LearnTable } from '../core/osc/learn.ts';
import type { SitterBus } from '../core/params/catalogue.ts';
import { formatIssue, parseShowState, type CueEngine } from '../core/show/index.ts';

/** Longest a state save may take before it is abandoned and retried (the server answers in milliseconds). */
const SAVE_TIMEOUT_MS = 5000;

/**
 * Keeps the show's live state (cue, fades, desk and cue layers, learned OSC addresses) on the kiosk server, so a
 * crash or a restart mid-show comes back where it was. Saves at most once a second, and only after a change.
 */
export class StateSync {
  private dirty = false;
  private lastSaveMs = Number.NEGATIVE_INFINITY;
  private saving = false;
  private readonly unsubscribe: Array<() => void> = [];

  constructor(
    private readonly showName: string,
    private readonly bus: SitterBus,
    private readonly cues: CueEngine,
    private readonly cueCount: number,
    private readonly learn: LearnTable | null,
    // Wrapped: window.fetch called as a method of another object throws "Illegal invocation".
    private readonly fetchImpl: typeof fetch = (input, init) => fetch(input, init),
    /** MIDI controls learned while running are kept with the state, like learned OSC addresses. */
    private readonly midi: MidiTable | null = null,
  ) {
    this.unsubscribe.push(
      bus.subscribe((c) => {
        if (c.source === 'desk' || c.source === 'cue') this.dirty = true;
      }),
    );
    if (midi) {
      this.unsubscribe.push(
        midi.onChange(() => {
          cues.setMidiLearn(midi.learnedJson());
          this.dirty = true;
        }),
      );
    }
    if (learn) {
      this.unsubscribe.push(
        learn.onChange((data) => {
          cues.setOscLearn(data.mappings);
          this.dirty = true;
        }),
      );
    }
  }

  /** Restores the saved state; false when there was none or it no longer fits the show (then it starts fresh). */
  async restore(): Promise<{ restored: boolean; warning?: string }> {
    let raw: unknown;
    try {
      const res = await this.fetchImpl(`/api/state/${this.showName}`);
      if (!res.ok) return { restored: false };
      raw = ((await res.json()) as { state?: unknown }).state;
    } catch {
      return { restored: false };
    }
    if (raw === null || raw === undefined) return { restored: false };
    const parsed = parseShowState(raw, this.bus.specs(), this.cueCount);
    if (!parsed.ok) return { restored: false, warning: `saved state ignored: ${parsed.issues.map(formatIssue).join('; ')}` };
    this.cues.restore(parsed.state);
    if (this.learn) this.learn.load({ version: 1, mappings: parsed.state.oscLearn });
    if (this.midi && parsed.state.midiLearn) {
      const m = this.midi.addLearned(parsed.state.midiLearn);
      if (!m.ok) return { restored: true, warning: `saved MIDI learn ignored: ${m.error}` };
    }
    return { restored: true };
  }

  tick(nowMs: number): void {
    if (!this.dirty || this.saving || nowMs - this.lastSaveMs < 1000) return;
    void this.save(nowMs);
  }

  async save(nowMs: number): Promise<void> {
    this.dirty = false;
    this.saving = true;
    this.lastSaveMs = nowMs;
    try {
      await this.fetchImpl(`/api/state/${this.showName}`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(this.cues.state()),
        // A request the server never answers (killed mid-request) must not hold `saving` forever: the state
        // would silently stop being kept for the rest of the run.
        signal: AbortSignal.timeout(SAVE_TIMEOUT_MS),
      });
    } catch {
      this.dirty = true;
    } finally {
      this.saving = false;
    }
  }

  dispose(): void {
    for (const u of this.unsubscribe.splice(0)) u();
  }
}
