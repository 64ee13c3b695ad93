import { createServer } from 'node:net';
import { getJson, waitFor } from '../../integration/pages/osc-net.ts';
import type { KioskProcess } from '../kiosk-process.ts';

/** What a kiosk's /health says under `screens` (kiosk/screens/node.ts), as far as the tests read it. */
export interface ScreensHealth {
  readonly screen: string;
  readonly role: 'leader' | 'follower';
  readonly epoch?: number;
  readonly tick?: number;
  readonly changes?: number;
  readonly logFloor?: number;
  readonly checkpoints?: readonly number[];
  readonly refused?: number;
  readonly generation?: number;
  readonly connected?: boolean;
  readonly followers?: readonly string[];
  readonly clock?: { readonly offset: number; readonly estimate: number | null; readonly systemClocksAgree: boolean | null };
  readonly probe: { readonly tick: number; readonly latent: readonly number[] } | null;
  /** `dropped`: peer messages refused (malformed, binary, too large, another version). */
  readonly traffic: { readonly messagesOut: number; readonly bytesOut: number; readonly dropped: number };
}

export async function screensOf(k: KioskProcess): Promise<ScreensHealth | null> {
  try {
    const r = await getJson(`${k.url}health`);
    return (r.body as { screens?: ScreensHealth }).screens ?? null;
  } catch {
    return null;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Waits until every kiosk publishes the same probe tick with bit-identical latents; returns that tick. */
export async function agreement(kiosks: readonly KioskProcess[], timeoutMs: number): Promise<number> {
  return waitFor('the screens\' walks to agree', async () => {
    const all = await Promise.all(kiosks.map(screensOf));
    const probes = all.map((h) => h?.probe ?? null);
    const first = probes[0];
    // A probe at tick 0 is a lane that has hardly moved (a fast start gets there first): wait for a walk to compare.
    if (!first || first.tick <= 0 || probes.some((p) => !p || p.tick !== first.tick)) return false;
    return probes.every((p) => p?.latent.every((x, i) => x === first.latent[i])) ? first.tick : false;
  }, timeoutMs, 100);
}
