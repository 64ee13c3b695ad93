/** What the page needs to know before anything loads: which show, and where the desk bridge is. */
export interface PageConfig {
  readonly show: string;
  /** The bridge's page WebSocket, or null (no kiosk server: `npm run dev`). */
  readonly wsUrl: string | null;
  /** Whether a kiosk server is there to persist state, take heartbeats and logs. */
  readonly kiosk: boolean;
  /** This kiosk's screen of several (`npm start -- --screen <id>`): the page walks the leader's lane; null alone. */
  readonly screen: string | null;
  /** A recording to replay under the live desk (`npm start -- --replay <name>`), fetched at /api/replay; null: none. */
  readonly replay: string | null;
}

interface KioskConfigBody {
  readonly show?: unknown;
  readonly bridge?: { readonly wsPath?: unknown };
  readonly screen?: unknown;
  readonly replay?: unknown;
}

/**
 * The kiosk server answers /api/config; under `npm run dev` there is none and the URL decides (?show=, ?ws=).
 * ?show= also overrides the server's choice, so an operator can preview another show on the same kiosk.
 */
export async function readPageConfig(location: Location, fetchImpl: typeof fetch = fetch): Promise<PageConfig> {
  const params = new URLSearchParams(location.search);
  let body: KioskConfigBody | null = null;
  try {
    const res = await fetchImpl('/api/config');
    if (res.ok && (res.headers.get('content-type') ?? '').includes('json')) body = (await res.json()) as KioskConfigBody;
  } catch {
    body = null;
  }
  const show = params.get('show') ?? (typeof body?.show === 'string' ? body.show : 'demo');
  const wsPath = typeof body?.bridge?.wsPath === 'string' ? body.bridge.wsPath : null;
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const wsUrl = params.get('ws') ?? (wsPath ? `${proto}//${location.host}${wsPath}` : null);
  const screen = typeof body?.screen === 'string' ? body.screen : null;
  const replay = typeof body?.replay === 'string' && body.replay !== '' ? body.replay : null;
  return { show, wsUrl, kiosk: body !== null, screen, replay };
}
