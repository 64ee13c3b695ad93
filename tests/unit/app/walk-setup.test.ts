import { describe, expect, it } from 'vitest';
import { directionsFor } from '../../../src/app/walk-setup.ts';
import { parseDirections } from '../../../src/core/latent/directions.ts';

const file = (space?: 'z' | 'w'): unknown => ({
  format: 'sitter-directions/1',
  latentSize: 2,
  ...(space ? { space } : {}),
  provenance: { model: 'm', method: 'ganspace-pca' },
  directions: [{ name: 'pc0', sigma: 1, vector: [1, 0] }],
});

describe('directions for the walk\'s space', () => {
  it('keeps directions of the space the model walks in (no "space" means z, as every older file)', () => {
    expect(directionsFor(parseDirections(file(), 2), 'z').directions).toHaveLength(1);
    expect(directionsFor(parseDirections(file('w'), 2), 'w').directions).toHaveLength(1);
  });

  it('drops directions of the other space, saying why', () => {
    expect(directionsFor(parseDirections(file('z'), 2), 'w')).toEqual({ directions: [], problem: 'they are z-space directions and this model walks in w (run npm run directions again)' });
    expect(directionsFor(parseDirections(file('w'), 2), 'z').problem).toMatch(/w-space directions and this model walks in z/);
  });

  it('passes on a broken file\'s errors, and refuses a space that is neither', () => {
    expect(directionsFor(parseDirections({ ...(file() as object), space: 'x' }, 2), 'z').problem).toBe('space: expected "z" or "w", got "x"');
  });
});
