import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allowMidiFor, markProfileClean } from '../../../kiosk/launch/profile.ts';

interface Prefs {
  readonly other?: number;
  readonly profile: { readonly exited_cleanly?: boolean; readonly content_settings: { readonly exceptions: Record<string, unknown> } };
}
const prefsOf = (dir: string): Prefs => JSON.parse(readFileSync(join(dir, 'Default', 'Preferences'), 'utf8')) as Prefs;

describe('kiosk profile: Web MIDI for the local page only', () => {
  it('adds an exception for the page origin, keeping what the profile holds', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sitter-profile-'));
    mkdirSync(join(dir, 'Default'));
    writeFileSync(join(dir, 'Default', 'Preferences'), JSON.stringify({ profile: { content_settings: { exceptions: { midi_sysex: { 'https://other.example:443,*': { setting: 2 } }, cookies: { x: 1 } } } }, other: 7 }));
    markProfileClean(dir);
    allowMidiFor(dir, 'http://127.0.0.1:8080/?show=live');
    allowMidiFor(dir, 'http://127.0.0.1:8080/');
    const p = prefsOf(dir);
    expect(p.other).toBe(7);
    expect(p.profile.exited_cleanly).toBe(true);
    expect(p.profile.content_settings.exceptions.cookies).toEqual({ x: 1 });
    expect(p.profile.content_settings.exceptions.midi_sysex).toEqual({
      'https://other.example:443,*': { setting: 2 },
      'http://127.0.0.1:8080,*': { setting: 1 },
    });
  });

  it('does nothing for a URL with no origin', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sitter-profile-'));
    allowMidiFor(dir, 'not a url');
    allowMidiFor(dir, 'data:text/html,x');
    expect(() => prefsOf(dir)).toThrow();
  });
});
