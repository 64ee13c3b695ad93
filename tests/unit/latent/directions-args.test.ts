import { describe, expect, it } from 'vitest';
import { USAGE, parseDirectionsArgs } from '../../../tools/directions/args.ts';

describe('npm run directions arguments', () => {
  it('has defaults for everything but the model folder', () => {
    expect(parseDirectionsArgs(['models/default'])).toEqual({ modelDir: 'models/default', samples: 2000, components: 8, seed: 1, rows: 4 });
  });

  it('reads every option', () => {
    const a = parseDirectionsArgs(['m', '--samples', '300', '--components', '5', '--layer', 'g_act1', '--seed', '9', '--rows', '2', '--truncation', '0.6']);
    expect(a).toEqual({ modelDir: 'm', samples: 300, components: 5, layer: 'g_act1', seed: 9, rows: 2, truncation: 0.6 });
  });

  it('refuses what it cannot use, saying which option', () => {
    expect(() => parseDirectionsArgs([])).toThrow(USAGE);
    expect(() => parseDirectionsArgs(['m', '--samples', 'many'])).toThrow('--samples: expected a whole number ≥ 16, got "many"');
    expect(() => parseDirectionsArgs(['m', '--truncation', '2'])).toThrow('--truncation: expected a number from 0 to 1.5, got "2"');
    expect(() => parseDirectionsArgs(['m', '--colour', 'red'])).toThrow('--colour: unknown option');
    expect(() => parseDirectionsArgs(['m', '--rows'])).toThrow('--rows: expected a value');
  });
});
