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
  const dir = join(profileDir, 'Default');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'Preferences');
  let prefs: Record<string, unknown> = {};
  if (existsSync(file)) {
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      if (typeof parsed === 'object' && parsed !== null) prefs = parsed as Record<string, unknown>;
    } catch {
      // As in markProfileClean: a corrupt file is replaced.
    }
  }
  const obj = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
  const profile = obj(prefs.profile);
  const settings = obj(profile.content_settings);
  const exceptions = obj(settings.exceptions);
  const sysex = obj(exceptions.midi_sysex);
  exceptions.midi_sysex = { ...sysex, [`${origin},*`]: { setting: 1 } };
  prefs.profile = { ...profile, content_settings: { ...settings, exceptions } };
  writeFileSync(file, JSON.stringify(prefs));
}
