import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Marks the profile as cleanly exited before each launch. The crash-bubble flags are unreliable; after a power cut
 * Chromium otherwise shows "Restore pages?" over the art until someone clicks it.
 */
export function markProfileClean(profileDir: string): void {
  const dir = join(profileDir, 'Default');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'Preferences');
  let prefs: Record<string, unknown> = {};
  if (existsSync(file)) {
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      if (typeof parsed === 'object' && parsed !== null) prefs = parsed as Record<string, unknown>;
    } catch {
      // A corrupt Preferences file is replaced: the kiosk profile holds nothing worth keeping.
    }
  }
  const profile = typeof prefs.profile === 'object' && prefs.profile !== null ? (prefs.profile as Record<string, unknown>) : {};
  prefs.profile = { ...profile, exit_type: 'SessionEnded', exited_cleanly: true };
  writeFileSync(file, JSON.stringify(prefs));
}
