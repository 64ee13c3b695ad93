import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Keeps each show's live state (current cue, desk/cue parameter layers, OSC learn mappings) on disk, so a browser
 * crash or a power cut in the middle of a show comes back where it was. Writes are atomic (temp file + rename):
 * a crash mid-write leaves the previous state, never half a file.
 */
export class StateStore {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  private file(show: string): string {
    if (!/^[a-z0-9][a-z0-9_-]{0,63}$/i.test(show)) throw new Error(`state: invalid show name ${JSON.stringify(show)}`);
    return join(this.dir, `${show}.json`);
  }

  read(show: string): unknown {
    const file = this.file(show);
    if (!existsSync(file)) return null;
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as unknown;
    } catch {
      return null;
    }
  }

  write(show: string, state: unknown): void {
    const file = this.file(show);
    const text = JSON.stringify(state);
    if (text.length > 1024 * 1024) throw new Error('state: larger than 1 MiB, refused');
    writeFileSync(`${file}.tmp`, text);
    renameSync(`${file}.tmp`, file);
  }
}
