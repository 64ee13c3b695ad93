/**
 * SITTER_TEST_CHECKPOINT_TICKS shortens the screens lanes' checkpoint interval (10 minutes of lane time otherwise),
 * so tests see joins, trimming and adoptions go through checkpoints within seconds. A kiosk never sets it (start
 * logs it loudly when it is set); every kiosk of a test sets the same value.
 */
export const CHECKPOINT_TICKS_ENV = 'SITTER_TEST_CHECKPOINT_TICKS';

/** The interval in ticks, or undefined for the lanes' own default. */
export function testCheckpointTicks(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env[CHECKPOINT_TICKS_ENV];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${CHECKPOINT_TICKS_ENV}: expected a whole number of ticks ≥ 1, got ${JSON.stringify(raw)}`);
  return n;
}
