import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unpickle } from '../../../src/core/pickle/index.ts';
import { networkFromPickle } from '../../../src/core/stylegan/from-pickle.ts';
import { TORCH_FIXTURES, fixtureNetwork } from './fixtures/torch-fixtures.ts';

/**
 * Pickles written by real CPython 3.11 + torch 2.13 + numpy 2.4 (fixtures/make-torch-pickles.py): real
 * torch.nn.Module state (torch 2.x plain-dict _parameters, every hook dict), real Parameter / tensor / storage
 * pickling, real numpy scalars and broadcast arrays, under persistence.py's reduce.
 */
describe('networks pickled by real torch read back exactly', () => {
  for (const f of TORCH_FIXTURES) {
    it(`${f.name}: same module tree and bit-identical tensors as the network it was made from`, () => {
      const bytes = readFileSync(join(import.meta.dirname, 'fixtures', `${f.name}.pkl`));
      const read = networkFromPickle(unpickle(bytes));
      const built = fixtureNetwork(f);
      expect(read.root).toEqual(built.root);
      expect([...read.tensors.keys()]).toEqual([...built.tensors.keys()]);
      for (const [name, t] of built.tensors) expect(Array.from(read.tensors.get(name)?.data ?? []), name).toEqual(Array.from(t.data));
      expect(networkFromPickle(unpickle(bytes), { network: 'G' }).tensors.size).toBe(built.tensors.size);
    });
  }
});
