import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { modelShape } from '../../../kiosk/screens/start-screen.ts';
import { parseBridgeMessage } from '../../../src/core/osc/ws-protocol.ts';
import { ParameterBus } from '../../../src/core/params/bus.ts';
import { PARAMS, type ParamName } from '../../../src/core/params/catalogue.ts';
import { PageScreenWalk } from '../../../src/core/screens/page-walk.ts';
import { loadShow } from '../../../src/core/show/index.ts';
import { openWs, waitFor } from '../../integration/pages/osc-net.ts';
import type { KioskProcess } from '../kiosk-process.ts';
import { screensOf } from './health.ts';

/** A screen's page walk run here in Node behind a kiosk's page socket, ticked at 60 Hz as the page ticks it. */
export interface NodePage {
  readonly walk: PageScreenWalk;
  close(): Promise<void>;
}

/**
 * Opens the kiosk's page socket and walks `roleId` of the show in `showFile` from the screens messages the kiosk
 * relays. The page reads the system clock; the kiosk's clock samples are converted to it.
 */
export async function openNodePage(kiosk: KioskProcess, showFile: string, showName: string, roleId: string, onRefused?: (e: string) => void): Promise<NodePage> {
  const loaded = loadShow(readFileSync(showFile, 'utf8'), { name: showName });
  if (!loaded.ok) throw new Error('show refused');
  const role = loaded.show.screens?.list.find((s) => s.id === roleId);
  if (!role) throw new Error(`no role ${roleId}`);
  const shape = modelShape(join(process.cwd(), 'models', loaded.show.model));
  const walk = new PageScreenWalk({ role, ...shape, initial: loaded.show.initial, now: () => Date.now() / 1000, ...(onRefused ? { onRefused } : {}) });
  const page = await openWs(`${kiosk.url.replace('http', 'ws')}osc`);
  const bus = new ParameterBus<ParamName>(PARAMS);
  let seen = 0;
  const timer = setInterval(() => {
    for (; seen < page.text.length; seen++) {
      const p = parseBridgeMessage(page.text[seen] as string);
      if (p.ok && p.message.type === 'screens') walk.receive(p.message.message);
    }
    walk.tick(1 / 60, bus);
  }, 16);
  return {
    walk,
    close: async () => {
      clearInterval(timer);
      await page.close();
    },
  };
}

/** Waits until the page's lane holds, at the leader's published probe tick, bit for bit the leader's latent. */
export async function pageAgreesWithLeader(walk: PageScreenWalk, leader: KioskProcess, timeoutMs: number): Promise<number> {
  return waitFor('the page and the leader to agree', async () => {
    const probe = (await screensOf(leader))?.probe;
    const mine = probe ? walk.laneLatentAt(probe.tick) : null;
    return probe && mine && probe.latent.every((x, i) => x === mine[i]) ? probe.tick : false;
  }, timeoutMs, 100);
}
