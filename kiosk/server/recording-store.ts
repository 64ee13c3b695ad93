import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { writeFileAtomically } from './atomic-write.ts';
import { join } from 'node:path';
import { RecordingParser, type ParsedRecording } from '../../src/core/record/index.ts';
import { StateError, type StateStoreLog } from './state-store.ts';

/** Recordings kept; saving one more removes the oldest (logged), so an unattended kiosk never fills its disk. */
export const MAX_RECORDINGS = 50;
/** A pose-driven hour is ~1 M events, ~60 MB of JSON lines. */
export const MAX_RECORDING_BYTES = 64 * 1024 * 1024;

const NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/i;

/**
 * Lines validated between two turns of the event loop. The kiosk process also relays the desk (OSC) and leads the
 * screens: parsed in one go, a 64 MiB recording held them for ~2 s on this project's 2-core machine; in slices of
 * this many lines (a few ms each) the desk is answered in between.
 */
export const VALIDATE_SLICE_LINES = 2000;

/** Validates a recording's text a slice at a time, yielding to the event loop between slices. */
export async function parseRecordingInSlices(text: string, sliceLines = VALIDATE_SLICE_LINES): Promise<ParsedRecording> {
  const p = new RecordingParser();
  let from = 0;
  let inSlice = 0;
  while (p.wantsMore) {
    const nl = text.indexOf('\n', from);
    p.push(nl < 0 ? text.slice(from) : text.slice(from, nl));
    if (nl < 0) break;
    from = nl + 1;
    if (++inSlice >= sliceLines) {
      inSlice = 0;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  return p.finish();
}

export interface RecordingInfo {
  readonly name: string;
  readonly bytes: number;
  /** Milliseconds since the epoch of the last write. */
  readonly savedAt: number;
}

/**
 * The show's recordings (src/core/record), one `<name>.jsonl` each, in `<stateDir>/recordings/`. Only a valid
 * recording is kept (values on the bus, tempo and frame times: never a camera frame). Writes are atomic (temp file
 * + rename); a temp file left by a crash or a failed write is removed.
 */
export class RecordingStore {
  constructor(
    readonly dir: string,
    private readonly log: StateStoreLog = { warn: () => {} },
    private readonly maxFiles = MAX_RECORDINGS,
    readonly maxBytes = MAX_RECORDING_BYTES,
  ) {
    mkdirSync(dir, { recursive: true });
    for (const f of readdirSync(dir)) if (f.endsWith('.jsonl.tmp')) rmSync(join(dir, f), { force: true });
  }

  private file(name: string): string {
    if (!NAME.test(name)) throw new StateError(400, `recording: invalid name ${JSON.stringify(name.slice(0, 100))} (expected letters, digits, - and _, at most 64)`);
    return join(this.dir, `${name}.jsonl`);
  }

  /** Newest first. */
  list(): RecordingInfo[] {
    return readdirSync(this.dir)
      .filter((f) => f.endsWith('.jsonl'))
      .map((f) => {
        const s = statSync(join(this.dir, f));
        return { name: f.slice(0, -'.jsonl'.length), bytes: s.size, savedAt: s.mtimeMs };
      })
      .sort((a, b) => b.savedAt - a.savedAt || (a.name < b.name ? 1 : -1));
  }

  /** The recording's text, or null when there is none. */
  read(name: string): string | null {
    const file = this.file(name);
    return existsSync(file) ? readFileSync(file, 'utf8') : null;
  }

  /** Validates (in slices: the event loop keeps turning) and saves; refuses with a StateError. */
  async write(name: string, text: string): Promise<void> {
    const file = this.file(name);
    if (Buffer.byteLength(text) > this.maxBytes) throw new StateError(413, `recording: larger than ${this.maxBytes} bytes, refused`);
    this.log.info?.('recording-validating', { name, bytes: Buffer.byteLength(text) });
    const parsed = await parseRecordingInSlices(text);
    if (!parsed.ok) throw new StateError(400, `recording: not a sitter recording: ${parsed.errors.slice(0, 3).join('; ')}`);
    writeFileAtomically(file, text);
    const all = this.list();
    for (const old of all.slice(this.maxFiles)) {
      if (old.name === name) continue;
      rmSync(join(this.dir, `${old.name}.jsonl`), { force: true });
      this.log.warn('recording-removed', { name: old.name, reason: `more than ${this.maxFiles} recordings kept`, dir: this.dir });
    }
  }
}
