import { mappingToJson } from '../core/midi/read-mappings.ts';
import type { ClockEvent } from '../core/midi/router.ts';
import { MidiTable } from '../core/midi/table.ts';
import type { MidiCommand } from '../core/midi/types.ts';
import type { DeskCommand } from '../core/osc/types.ts';
import type { ParameterBus } from '../core/params/bus.ts';
import type { CueEngine, Show } from '../core/show/index.ts';
import { MidiInput, type MidiAccessLike } from '../input/midi.ts';

export interface MidiDeskOptions {
  readonly show: Show;
  readonly bus: ParameterBus;
  readonly cues: CueEngine;
  readonly log: (level: 'info' | 'warn', message: string) => void;
  /** A MIDI control was learned: OSC learn, armed by the same /sitter/learn, stands down. */
  readonly onLearned?: () => void;
  readonly onClock?: (event: ClockEvent, atMs: number) => void;
  readonly requestAccess?: () => Promise<MidiAccessLike>;
}

/**
 * MIDI controllers as the app sees them: the show's mappings, Web MIDI opened in the background (the show does not
 * wait for a permission or a missing MIDI subsystem), cue buttons carried out on the cue engine.
 */
export class MidiDesk {
  readonly table: MidiTable;
  private input: MidiInput | null = null;
  private disposed = false;

  constructor(private readonly o: MidiDeskOptions) {
    this.table = new MidiTable(o.bus.specs(), o.show.midi.mappings);
    const m = o.show.midi;
    void MidiInput.open({
      bus: o.bus,
      table: this.table,
      input: m.input,
      output: m.output,
      feedback: m.feedback,
      feedbackRateHz: m.feedbackRateHz,
      onCommand: (c) => this.execute(c),
      ...(m.clock && o.onClock ? { onClock: o.onClock } : {}),
      log: o.log,
      ...(o.requestAccess ? { requestAccess: o.requestAccess } : {}),
    }).then((input) => {
      if (this.disposed) input.dispose();
      else this.input = input;
    });
  }

  /** OSC learn commands arm and cancel MIDI learn too: whichever control moves first takes the parameter. */
  learnCommand(c: DeskCommand): void {
    if (c.kind === 'learn-armed') this.table.arm({ param: c.param });
    else if (c.kind === 'learn-bound' || c.kind === 'learn-cancelled') this.table.cancel();
  }

  frame(): void {
    this.input?.frame();
  }

  private execute(c: MidiCommand): void {
    const { cues } = this.o;
    switch (c.kind) {
      case 'cue-go': cues.go(); break;
      case 'cue-back': cues.back(); break;
      case 'cue-number': cues.goto(c.number); break;
      case 'learn-bound':
        this.o.log('info', `MIDI learned: ${JSON.stringify(mappingToJson(c.mapping))}`);
        this.o.onLearned?.();
        break;
    }
  }

  dispose(): void {
    this.disposed = true;
    this.input?.dispose();
    this.input = null;
  }
}
