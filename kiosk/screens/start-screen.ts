import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateModelCard } from '../../src/core/model-card/validate.ts';
import { parseHostPort, pickScreen } from '../../src/core/screens/index.ts';
import type { Show } from '../../src/core/show/types.ts';
import { parseDirectionsText, type LatentDirection } from '../../src/core/latent/directions.ts';
import type { Logger } from '../server/log.ts';
import { CHECKPOINT_TICKS_ENV, testCheckpointTicks } from './checkpoint-env.ts';
import { CLOCK_OFFSET_ENV, screenClock } from './clock.ts';
import { startScreenFollower, startScreenLeader, type ScreenNode } from './node.ts';

export interface StartScreenOptions {
  readonly show: Show;
  readonly screen: string;
  /** --leader host:port, or null for the show's screens.address. */
  readonly leader: string | null;
  /** The show's model folder (a gallery's --models folder or the bundled models/). */
  readonly modelFolder: string;
  readonly logger: Logger;
}

/** The model's latent size, mean and directions: the lane must walk the very vectors the page's walker does. */
export function modelShape(folder: string): { size: number; mean?: Float32Array; directions?: readonly LatentDirection[] } {
  const file = join(folder, 'card.json');
  if (!existsSync(file)) throw new Error(`--screen: the show's model has no card (expected ${file})`);
  const card = validateModelCard(JSON.parse(readFileSync(file, 'utf8')) as unknown, file);
  if (!card.ok) throw new Error(`--screen: ${file} is not a valid model card`);
  // A StyleGAN walks in w through its mapping network, which only the page runs: its lane is not shared yet.
  if (card.card.format === 'stylegan2' || card.card.format === 'stylegan3') {
    throw new Error(`--screen: ${file} is a ${card.card.format} model (walked in w); several screens share z walks only for now`);
  }
  const size = card.card.latent.size;
  const dirFile = join(folder, 'directions.json');
  const parsed = existsSync(dirFile) ? parseDirectionsText(readFileSync(dirFile, 'utf8')) : null;
  // As the page keeps them (walk-setup.ts directionsFor): z directions of the right size, else none.
  const directions = parsed?.ok && parsed.value.latentSize === size && (parsed.value.space ?? 'z') === 'z' ? parsed.value.directions : undefined;
  return { size, ...(card.card.mean ? { mean: Float32Array.from(card.card.mean) } : {}), ...(directions ? { directions } : {}) };
}

/**
 * `--screen <id>`: this kiosk's part of a piece on several screens. The show's leader screen leads (unless
 * --leader points elsewhere); every other screen follows the leader's kiosk. Throws a clear message when the id or
 * the leader's address is missing.
 */
export function startScreen(o: StartScreenOptions): ScreenNode & { readonly describe: string } {
  const picked = pickScreen(o.show.screens, o.screen);
  if (!picked.ok) throw new Error(picked.error);
  const screens = o.show.screens;
  if (!screens) throw new Error(`--screen ${o.screen}: this show has no "screens" section`);
  const clock = screenClock();
  if (clock.offsetMs !== 0) o.logger.warn('screen-test-clock', { env: CLOCK_OFFSET_ENV, offsetMs: clock.offsetMs, note: 'test-only clock shift in force' });
  const checkpointTicks = testCheckpointTicks();
  if (checkpointTicks !== undefined) o.logger.warn('screen-test-checkpoints', { env: CHECKPOINT_TICKS_ENV, checkpointTicks, note: 'test-only checkpoint interval in force' });
  const base = {
    role: picked.role, screens, ...modelShape(o.modelFolder), initial: o.show.initial, pulses: o.show.tempo.pulses, now: clock.now, logger: o.logger, clockOffsetMs: clock.offsetMs,
    ...(checkpointTicks !== undefined ? { checkpointTicks } : {}),
  };
  const leads = picked.role.id === screens.leader && o.leader === null;
  if (leads) {
    const node = startScreenLeader(base);
    return { ...node, describe: `${picked.role.id}, leading (followers connect to this kiosk's port)` };
  }
  const address = o.leader !== null ? parseHostPort(o.leader) : screens.address;
  if (!address) throw new Error(`--screen ${o.screen}: this screen follows "${screens.leader}"; give --leader host:port or set screens.address in the show`);
  const node = startScreenFollower({ ...base, leader: address });
  return { ...node, describe: `${picked.role.id}, following ${address.host}:${address.port}` };
}
