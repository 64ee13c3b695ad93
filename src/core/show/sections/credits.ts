import { joinKey, type Reporter } from '../issues.ts';
import { readNumber, readObject } from '../read.ts';
import type { CreditsConfig } from '../types.ts';

/** `"credits": { "everyMinutes": 5, "seconds": 15 }`, or null/absent for none. */
export function readCredits(r: Reporter, raw: unknown, path: string): CreditsConfig | null {
  if (raw === undefined || raw === null) return null;
  const o = readObject(r, raw, path, ['everyMinutes', 'seconds']);
  if (o === undefined) return null;
  const everyMinutes = readNumber(r, o.everyMinutes, joinKey(path, 'everyMinutes'), { expected: 'a number of minutes > 0', above: 0 }, 5);
  const seconds = readNumber(r, o.seconds, joinKey(path, 'seconds'), { expected: 'a number of seconds > 0', above: 0 }, 15);
  if (seconds >= everyMinutes * 60) {
    r.add(joinKey(path, 'seconds'), `expected fewer seconds than the ${everyMinutes * 60} between showings, got ${seconds}`);
  }
  return { everyMinutes, seconds };
}

/**
 * Whether the credits overlay shows at `seconds` since the show started: the last `seconds` of every period, so
 * visitors see the piece first and the credits first appear after one full period.
 */
export function creditsVisible(credits: CreditsConfig | null, seconds: number): boolean {
  if (credits === null || !(seconds >= 0)) return false;
  const period = credits.everyMinutes * 60;
  return seconds % period >= period - credits.seconds;
}
