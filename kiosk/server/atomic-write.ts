import { renameSync, rmSync, writeFileSync } from 'node:fs';

/**
 * Writes `text` to `file` through `<file>.tmp` and a rename, so a power cut leaves the old file or the new one, never
 * half of one; a failed write removes its `.tmp` (the stores also sweep stale ones at start).
 */
export function writeFileAtomically(file: string, text: string): void {
  const tmp = `${file}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
