import { describe, expect, it } from 'vitest';
import { PARAMS } from '../../../src/core/params/catalogue.ts';
import { nameSteering } from '../../../src/core/params/steering-names.ts';

describe('nameSteering', () => {
  it("writes the model's direction names into the steering sliders and leaves every other parameter alone", () => {
    const named = nameSteering(PARAMS, ['colour-to-ink', 'pale-to-coloured'], 'default');
    const by = (n: string) => named.find((s) => s.name === n);
    expect(by('steer/0')?.description).toBe('Steers "colour-to-ink" (direction 0 of models/default), in standard deviations.');
    expect(by('steer/1')?.description).toMatch(/^Steers "pale-to-coloured"/);
    expect(by('steer/2')?.description).toBe('No direction 2 in models/default/directions.json: this slider does nothing with this model.');
    // Same names, order, types and ranges: OSC addresses derived from the list do not move.
    expect(named.map((s) => s.name)).toEqual(PARAMS.map((s) => s.name));
    for (const [i, s] of named.entries()) if (!s.name.startsWith('steer/')) expect(s).toBe(PARAMS[i]);
    expect(by('steer/0')).toMatchObject({ type: 'float', min: -3, max: 3, access: 'rw' });
  });
});
