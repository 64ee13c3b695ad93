import { describe, expect, it } from 'vitest';
import { parseRecordingInSlices } from '../../../kiosk/server/recording-store.ts';
import { parseRecording, RECORDING_FORMAT } from '../../../src/core/record/index.ts';

const header = JSON.stringify({ format: RECORDING_FORMAT, show: 'demo', start: 0 });
const frame = (t: number): string => JSON.stringify({ t, kind: 'frame', dt: 1 / 60 });

/** The kiosk validates uploads a slice of lines at a time; it must read exactly what the one-go parser reads. */
describe('parseRecordingInSlices', () => {
  it('agrees with parseRecording on good text, bad lines in a later slice, the error cap and empty text', async () => {
    const good = [header, ...Array.from({ length: 25 }, (_, i) => frame(i / 60)), ''].join('\n');
    const lateBad = [header, ...Array.from({ length: 25 }, (_, i) => (i === 17 ? '{"t": "x"}' : frame(i / 60)))].join('\n');
    const manyBad = [header, ...Array.from({ length: 60 }, () => 'nope')].join('\n');
    const noTrailingNewline = [header, frame(0)].join('\n');
    for (const text of [good, lateBad, manyBad, noTrailingNewline, '', '\n\n']) {
      expect(await parseRecordingInSlices(text, 4), JSON.stringify(text.slice(0, 40))).toEqual(parseRecording(text));
    }
    const bad = await parseRecordingInSlices(lateBad, 4);
    expect(bad).toEqual({ ok: false, errors: ['line 19: expected an event with a time "t"'] });
    const capped = await parseRecordingInSlices(manyBad, 4);
    expect(capped.ok ? [] : capped.errors).toHaveLength(20);
  });
});
