import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The profile's Preferences as an object; a missing or corrupt file reads as empty (the kiosk profile holds
 * nothing worth keeping, and Chromium rewrites what it needs). */
function readPreferences(profileDir: string): { file: string; prefs: Record<string, unknown> } {
  const dir = join(profileDir, 'Default');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'Preferences');
  if (existsSync(file)) {
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return { file, prefs: parsed as Record<string, unknown> };
    } catch {
      // Replaced below.
    }
  }
  return { file, prefs: {} };
}

const obj = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/**
 * Marks the profile as cleanly exited before each launch. The crash-bubble flags are unreliable; after a power cut
 * Chromium otherwise shows "Restore pages?" over the art until someone clicks it.
 */
export function markProfileClean(profileDir: string): void {
  const { file, prefs } = readPreferences(profileDir);
  const profile = obj(prefs.profile);
  prefs.profile = { ...profile, exit_type: 'SessionEnded', exited_cleanly: true };
  writeFileSync(file, JSON.stringify(prefs));
}

/**
 * Lets the kiosk page — its own origin only — use Web MIDI without a prompt. Since Chromium 124 every
 * requestMIDIAccess() asks the visitor, and an unattended kiosk has nobody to click "Allow". Chromium 150 grants
 * it from a profile exception under "midi_sysex" (the MIDI permission follows the sysex one; an exception under
 * "midi" is not read, checked with this repository's Chromium); the page itself asks for sysex: false. Other origins
 * keep the default (ask, which in kiosk means no).
 */
export function allowMidiFor(profileDir: string, pageUrl: string): void {
  let origin: string;
  try {
    origin = new URL(pageUrl).origin;
  } catch {
    return;
  }
  if (origin === 'null') return;
  const { file, prefs } = readPreferences(profileDir);
  const profile = obj(prefs.profile);
  const settings = obj(profile.content_settings);
  const exceptions = obj(settings.exceptions);
  const sysex = obj(exceptions.midi_sysex);
  exceptions.midi_sysex = { ...sysex, [`${origin},*`]: { setting: 1 } };
  prefs.profile = { ...profile, content_settings: { ...settings, exceptions } };
  writeFileSync(file, JSON.stringify(prefs));
}
