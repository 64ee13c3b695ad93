import { parseRecording, type Recording } from '../core/record/index.ts';
import { errorMessage } from '../core/error-message.ts';

/**
 * The recording `npm start -- --replay` names, from the kiosk (GET /api/replay). Any failure is a sentence for the
 * notice and the log: the show then runs live.
 */
export async function loadReplay(name: string, fetchImpl: typeof fetch = fetch): Promise<{ ok: true; recording: Recording } | { ok: false; error: string }> {
  let text: string;
  try {
    const res = await fetchImpl('/api/replay', { cache: 'no-store' });
    if (!res.ok) {
      let why = `HTTP ${res.status}`;
      try {
        const body = (await res.json()) as { error?: unknown };
        if (typeof body.error === 'string') why = body.error;
      } catch {
        // The status says enough.
      }
      return { ok: false, error: `replay "${name}" not loaded: ${why}; running live` };
    }
    text = await res.text();
  } catch (e) {
    return { ok: false, error: `replay "${name}" not loaded: ${errorMessage(e)}; running live` };
  }
  const parsed = parseRecording(text);
  if (!parsed.ok) return { ok: false, error: `replay "${name}" is not a valid recording (${parsed.errors.slice(0, 3).join('; ')}); running live` };
  return { ok: true, recording: parsed.recording };
}

/** A file name for a finished recording: the show's name and the wall-clock time (kiosk/server/recording-store.ts). */
export function recordingName(show: string, at: Date): string {
  const stamp = at.toISOString().slice(0, 19).replace(/[:T]/g, '-');
  const base = show.replace(/[^a-z0-9_-]/gi, '-').replace(/^[^a-z0-9]+/i, '').slice(0, 40) || 'show';
  return `${base}-${stamp}`;
}

/** Sends a finished recording to the kiosk, which keeps it in <stateDir>/recordings/. Resolves to a sentence for the log. */
export async function saveRecording(name: string, text: string, fetchImpl: typeof fetch = fetch): Promise<{ ok: boolean; message: string }> {
  try {
    const res = await fetchImpl(`/api/recordings/${encodeURIComponent(name)}`, { method: 'POST', headers: { 'Content-Type': 'application/x-ndjson' }, body: text });
    if (res.ok) return { ok: true, message: `recording saved as ${name}` };
    let why = `HTTP ${res.status}`;
    try {
      const body = (await res.json()) as { error?: unknown };
      if (typeof body.error === 'string') why = body.error;
    } catch {
      // The status says enough.
    }
    return { ok: false, message: `recording ${name} not saved: ${why}` };
  } catch (e) {
    return { ok: false, message: `recording ${name} not saved: ${errorMessage(e)}` };
  }
}
