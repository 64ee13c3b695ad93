/**
 * The show clock of a screen: the system clock (chrony keeps it within a millisecond of the other kiosks), in
 * seconds. SITTER_TEST_CLOCK_OFFSET_MS shifts it, for tests that run several screens on one machine with clocks
 * set apart on purpose; a kiosk never sets it (start.ts logs it loudly when it is set).
 */
export const CLOCK_OFFSET_ENV = 'SITTER_TEST_CLOCK_OFFSET_MS';

export function screenClock(env: NodeJS.ProcessEnv = process.env): { now: () => number; offsetMs: number } {
  const raw = env[CLOCK_OFFSET_ENV];
  const offsetMs = raw === undefined || raw === '' ? 0 : Number(raw);
  if (!Number.isFinite(offsetMs)) throw new Error(`${CLOCK_OFFSET_ENV}: expected milliseconds, got ${JSON.stringify(raw)}`);
  return { now: () => (Date.now() + offsetMs) / 1000, offsetMs };
}
