import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { writeFileAtomically } from './atomic-write.ts';
import { join } from 'node:path';
import { errorMessage } from '../../src/core/error-message.ts';

/** Where a store reports what it found wrong on disk (the kiosk's Logger fits). */
export interface StateStoreLog {
  warn(event: string, fields?: Record<string, unknown>): void;
  info?(event: string, fields?: Record<string, unknown>): void;
}

/** More shows than any kiosk runs: each is one small file, and an endless supply of names must not fill the disk. */
export const MAX_STATE_FILES = 64;
export const MAX_STATE_BYTES = 1024 * 1024;

/** A refusal the server answers with a status (a bad name 400, too many names 507, too large 413). */
export class StateError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/**
 * Keeps each show's live state (current cue, desk/cue parameter layers, OSC learn mappings) on disk, so a browser
 * crash or a power cut in the middle of a show comes back where it was. Writes are atomic (temp file + rename):
 * a crash mid-write leaves the previous state, never half a file; a temp file left by such a crash, or by a write
 * that failed, is removed.
 */
export class StateStore {
  constructor(
    private readonly dir: string,
    private readonly log: StateStoreLog = { warn: () => {} },
    private readonly maxFiles = MAX_STATE_FILES,
  ) {
    mkdirSync(dir, { recursive: true });
    for (const f of readdirSync(dir)) if (f.endsWith('.json.tmp')) rmSync(join(dir, f), { force: true });
  }

  private file(show: string): string {
    if (!/^[a-z0-9][a-z0-9_-]{0,63}$/i.test(show)) throw new StateError(400, `state: invalid show name ${JSON.stringify(show.slice(0, 100))}`);
    return join(this.dir, `${show}.json`);
  }

  /** The saved state, or null when there is none or it cannot be read (then logged: the show starts fresh). */
  read(show: string): unknown {
    const file = this.file(show);
    if (!existsSync(file)) return null;
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as unknown;
    } catch (e) {
      this.log.warn('state-unreadable', { show, file, error: errorMessage(e) });
      return null;
    }
  }

  write(show: string, state: unknown): void {
    const file = this.file(show);
    const text = JSON.stringify(state);
    if (text.length > MAX_STATE_BYTES) throw new StateError(413, 'state: larger than 1 MiB, refused');
    if (!existsSync(file) && readdirSync(this.dir).filter((f) => f.endsWith('.json')).length >= this.maxFiles) {
      throw new StateError(507, `state: already ${this.maxFiles} saved shows; remove old ones from ${this.dir}`);
    }
    writeFileAtomically(file, text);
  }
}
