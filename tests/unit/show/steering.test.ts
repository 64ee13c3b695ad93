import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadShowOrThrow } from '../../../src/core/show/load.ts';
import { unsteerable } from '../../../src/core/show/steering.ts';
import { showFrom } from './rig.ts';

const HINT = 'but models/default has 0 directions (directions.json; make them with npm run directions -- models/default)';

describe('unsteerable', () => {
  it('names the gallery show mappings that steer directions the model lacks, and nothing once it has them', () => {
    const show = loadShowOrThrow(readFileSync(join(import.meta.dirname, '../../../show-configs/gallery-kiosk.json'), 'utf8'), { name: 'gallery-kiosk' });
    expect(unsteerable(show, 0)).toEqual([`pose.mappings[0]: maps x to steer/0, ${HINT}`, `pose.mappings[1]: maps lean to steer/1, ${HINT}`]);
    expect(unsteerable(show, 1)).toEqual([expect.stringMatching(/^pose\.mappings\[1\]: maps lean to steer\/1, but models\/default has 1 direction \(/)]);
    expect(unsteerable(show, 8)).toEqual([]);
  });

  it('counts cue targets and start/idle values that move a slider, not ones that hold it at 0, nor a disabled camera', () => {
    const show = showFrom({
      model: 'default',
      params: { 'steer/2': 1, 'steer/3': 0 },
      idle: { params: { 'steer/4': -1 } },
      pose: { enabled: false, mappings: [{ feature: 'x', param: 'steer/0' }] },
      cues: [{ name: 'Push', targets: { 'steer/5': 2, 'steer/6': 0, 'grade/contrast': 1.2 } }],
    });
    expect(unsteerable(show, 0)).toEqual([
      `cues[0] (Push): sets steer/5, ${HINT}`,
      `start values: set steer/2, ${HINT}`,
      `idle.params: sets steer/4, ${HINT}`,
    ]);
  });
});
