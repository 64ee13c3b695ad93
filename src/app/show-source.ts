import { formatIssue, loadShow, type Show } from '../core/show/index.ts';
import { errorMessage } from '../core/error-message.ts';

export type ShowLoad = { readonly ok: true; readonly show: Show; readonly text: string } | { readonly ok: false; readonly errors: readonly string[] };

/** Fetches show-configs/<name>.json and validates it; every problem comes back as a readable line. */
export async function fetchShow(name: string, fromKiosk: boolean, fetchImpl: typeof fetch = fetch): Promise<ShowLoad> {
  if (!/^[a-z0-9][a-z0-9_-]*$/i.test(name)) return { ok: false, errors: [`show name ${JSON.stringify(name)}: expected letters, digits, - or _`] };
  let text: string;
  try {
    // The kiosk server serves the show it was started with (which may live outside show-configs/).
    const res = await fetchImpl(fromKiosk ? '/api/show' : `/show-configs/${name}.json`, { cache: 'no-store' });
    if (!res.ok) return { ok: false, errors: [`show-configs/${name}.json: not found (HTTP ${res.status})`] };
    text = await res.text();
  } catch (e) {
    return { ok: false, errors: [`show-configs/${name}.json: could not be read (${errorMessage(e)})`] };
  }
  return parseShowText(name, text);
}

export function parseShowText(name: string, text: string): ShowLoad {
  const r = loadShow(text, { name });
  if (!r.ok) return { ok: false, errors: r.issues.map((i) => `show-configs/${name}.json: ${formatIssue(i)}`) };
  return { ok: true, show: r.show, text };
}
