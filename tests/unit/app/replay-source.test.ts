import { describe, expect, it } from 'vitest';
import { loadReplay, recordingName, saveRecording } from '../../../src/app/replay-source.ts';
import { parseStartArgs } from '../../../kiosk/cli-args.ts';

const reply = (status: number, body: string, type = 'application/x-ndjson'): typeof fetch =>
  (async () => new Response(body, { status, headers: { 'content-type': type } })) as typeof fetch;

describe('replay source', () => {
  it('loads a valid recording and keeps its loop flag', async () => {
    const text = `${JSON.stringify({ format: 'sitter-recording/1', show: 'demo', start: 0, loop: true })}\n{"t":0,"kind":"frame","dt":0.016}\n`;
    const r = await loadReplay('x', reply(200, text));
    expect(r.ok && r.recording.header.loop).toBe(true);
    expect(r.ok && r.recording.events.length).toBe(1);
  });

  it('turns a missing, broken or unreachable recording into a sentence that says the show runs live', async () => {
    const missing = await loadReplay('gone', reply(404, '{"error":"recording \\"gone\\" not found: expected /x/gone.jsonl"}', 'application/json'));
    expect(missing).toEqual({ ok: false, error: 'replay "gone" not loaded: recording "gone" not found: expected /x/gone.jsonl; running live' });
    const broken = await loadReplay('bad', reply(200, 'not json\n'));
    expect(!broken.ok && broken.error).toMatch(/^replay "bad" is not a valid recording \(line 1: not JSON.*running live$/);
    const down = await loadReplay('x', (async () => { throw new TypeError('Failed to fetch'); }) as typeof fetch);
    expect(!down.ok && down.error).toBe('replay "x" not loaded: Failed to fetch; running live');
  });

  it('names recordings so the kiosk accepts them, and says why a save failed', async () => {
    const name = recordingName('my show.v2', new Date('2026-12-02T11:30:05.123Z'));
    expect(name).toBe('my-show-v2-2026-12-02-11-30-05');
    expect(recordingName('x'.repeat(80), new Date(0))).toMatch(/^[a-z0-9][a-z0-9_-]{0,63}$/i);
    const sent: RequestInit[] = [];
    const ok = await saveRecording('a', 'text', (async (_u: string, init: RequestInit) => { sent.push(init); return new Response('{}', { status: 200 }); }) as unknown as typeof fetch);
    expect(ok.ok).toBe(true);
    expect((sent[0]?.headers as Record<string, string>)['Content-Type']).toBe('application/x-ndjson');
    const refused = await saveRecording('a', 'text', reply(413, '{"error":"recording: larger than 10 bytes, refused"}', 'application/json'));
    expect(refused).toEqual({ ok: false, message: 'recording a not saved: recording: larger than 10 bytes, refused' });
  });

  it('takes --replay on the command line', () => {
    expect(parseStartArgs(['--replay', 'rehearsal']).replay).toBe('rehearsal');
    expect(parseStartArgs([]).replay).toBeNull();
    expect(() => parseStartArgs(['--replay'])).toThrow(/--replay needs a value/);
  });
});
