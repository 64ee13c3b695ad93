import { describe, expect, it } from 'vitest';
import { NumpyArray, PickleError, TorchTensor, tensorToFloat32, unpickle } from '../../../src/core/pickle/index.ts';
import { dict, pickle, tuple } from '../../support/pickle-writer/pickler.ts';
import { NumpyNodes, legacyStorageBlob, parameterNode, tensorNode } from '../../support/pickle-writer/torch.ts';
import { PReduce, glob } from '../../support/pickle-writer/pickler.ts';
import { fixture } from './cpython-fixtures.ts';
import { bytesToText, textToBytes } from './plain.ts';
import { get } from './plain.ts';

function tensor(v: unknown): TorchTensor {
  if (!(v instanceof TorchTensor)) throw new Error('expected a tensor');
  return v;
}

describe('torch tensors as torch pickles them (real torch 2.x output, protocols 2 and 4)', () => {
  for (const p of [2, 4]) {
    it(`protocol ${p}: rebuilds plain, viewed, parameter, half, double, 0-d and empty tensors`, () => {
      const v = unpickle(fixture(`torch_p${p}`));
      const plainT = tensor(get(v, 'plain'));
      expect(plainT.shape).toEqual([3, 4]);
      expect(Array.from(tensorToFloat32(plainT))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      expect(plainT.isParameter).toBe(false);

      // base.t()[1:]: shape [3, 3], stride [1, 4], storage offset 1.
      const view = tensor(get(v, 'transposed_view'));
      expect(view.shape).toEqual([3, 3]);
      expect(view.stride).toEqual([1, 4]);
      expect(view.offset).toBe(1);
      expect(Array.from(tensorToFloat32(view))).toEqual([1, 5, 9, 2, 6, 10, 3, 7, 11]);

      const param = tensor(get(v, 'param'));
      expect(param.isParameter).toBe(true);
      expect(Array.from(tensorToFloat32(param))).toEqual([0.5, -1.5]);

      const half = tensor(get(v, 'half'));
      expect(half.storage.dtype).toBe('float16');
      expect(Array.from(tensorToFloat32(half))).toEqual([1, -2, 0.5, 65504]);

      const double = tensor(get(v, 'double'));
      expect(double.storage.dtype).toBe('float64');
      expect(tensorToFloat32(double)[0]).toBeCloseTo(1 / 3, 7);

      const scalar = tensor(get(v, 'scalar'));
      expect(scalar.shape).toEqual([]);
      expect(Array.from(tensorToFloat32(scalar))).toEqual([2.5]);

      const empty = tensor(get(v, 'empty'));
      expect(empty.shape).toEqual([0, 3]);
      expect(tensorToFloat32(empty)).toHaveLength(0);
    });
  }

  it('reads the writer\'s tensors and parameters with every storage kind', () => {
    const data = [0.25, -1, 3, 0.5, 2, -4];
    const v = unpickle(
      pickle(
        dict([
          ['f32', tensorNode({ shape: [2, 3], data })],
          ['f16', parameterNode({ shape: [3, 2], data }, 'float16')],
          ['bf16', tensorNode({ shape: [6], data }, 'bfloat16')],
        ]),
      ),
    );
    expect(Array.from(tensorToFloat32(tensor(get(v, 'f32'))))).toEqual(data);
    expect(Array.from(tensorToFloat32(tensor(get(v, 'f16'))))).toEqual(data);
    expect(Array.from(tensorToFloat32(tensor(get(v, 'bf16'))))).toEqual(data);
    expect(tensor(get(v, 'f16')).isParameter).toBe(true);
  });

  it('reads a tensor pickled while on the GPU (torch writes torch.FloatStorage with location cuda:0)', () => {
    const v = unpickle(pickle(tensorNode({ shape: [2], data: [0.5, 4] }, 'float32', 'cuda:0')));
    expect(Array.from(tensorToFloat32(tensor(v)))).toEqual([0.5, 4]);
  });

  it('refuses a tensor whose shape and strides read past its storage', () => {
    const storage = new PReduce(glob('torch.storage', '_load_from_bytes'), [legacyStorageBlob([1, 2, 3, 4], 'float32')]);
    const bad = new PReduce(glob('torch._utils', '_rebuild_tensor_v2'), [storage, 2, tuple(2, 2), tuple(2, 1), false, null]);
    expect(() => unpickle(pickle(bad))).toThrow(/reads past its storage of 4 elements/);
  });
});

describe('numpy values under numpy 2.x (numpy._core) and 1.x (numpy.core) names', () => {
  for (const p of [2, 3, 4, 5]) {
    it(`protocol ${p} (numpy 2.x names${p === 5 ? ', arrays through _frombuffer' : ''}): arrays and scalars`, () => {
      const bytes = fixture(`numpy_p${p}`);
      expect(bytesToText(bytes)).toContain('numpy._core');
      const v = unpickle(bytes);
      const f32 = get(v, 'f32') as NumpyArray;
      expect(f32).toBeInstanceOf(NumpyArray);
      expect(f32.shape).toEqual([2, 3]);
      expect(f32.values).toEqual([0, 1, 2, 3, 4, 5]);
      expect((get(v, 'i64') as NumpyArray).values).toEqual([3, 4]);
      expect((get(v, 'bcast') as NumpyArray).values).toEqual([16, 16]);
      const fortran = get(v, 'fortran') as NumpyArray;
      expect(fortran.shape).toEqual([2, 3]);
      expect(fortran.values).toEqual([0, 1, 2, 3, 4, 5]);
      expect(get(v, 'f8')).toBe(0.125);
      expect(get(v, 'i8')).toBe(-9);
      expect(get(v, 'b')).toBe(true);
      expect(get(v, 'f4')).toBe(1.5);
    });
  }

  it('protocol 2 with the numpy 1.x module name (numpy.core.multiarray) reads the same', () => {
    const text = bytesToText(fixture('numpy_p2'));
    const renamed = text.replaceAll('numpy._core.', 'numpy.core.');
    expect(renamed).not.toContain('numpy._core');
    const v = unpickle(textToBytes(renamed));
    expect((get(v, 'f32') as NumpyArray).values).toEqual([0, 1, 2, 3, 4, 5]);
    expect(get(v, 'f8')).toBe(0.125);
  });

  it('the writer\'s numpy 1.x nodes: int64 arrays and float64 / int64 scalars', () => {
    const np = new NumpyNodes('numpy.core.multiarray');
    const v = unpickle(pickle(tuple(np.arrayI8([4, 4]), np.scalarF8(0.75), np.scalarI8(-3))));
    const items = (v as unknown as { items: [NumpyArray, number, number] }).items;
    expect(items[0].values).toEqual([4, 4]);
    expect(items[1]).toBe(0.75);
    expect(items[2]).toBe(-3);
  });

  it('refuses an object-dtype numpy array', () => {
    const np = new NumpyNodes('numpy.core.multiarray');
    const dtypeO = new PReduce(glob('numpy', 'dtype'), ['O8', false, true], { state: tuple(3, '|', null, null, null, -1, -1, 63) });
    const arr = new PReduce(glob('numpy.core.multiarray', '_reconstruct'), [glob('numpy', 'ndarray'), tuple(0), new Uint8Array([0x62])], {
      state: tuple(1, tuple(1), dtypeO, false, [null]),
    });
    void np;
    expect(() => unpickle(pickle(arr))).toThrow(PickleError);
  });
});
