import { describe, expect, it } from 'vitest';
import { unpickle } from '../../../src/core/pickle/index.ts';
import { buildGenerator, type GeneratorSpec } from '../../../src/core/stylegan/architecture.ts';
import { networkFromPickle } from '../../../src/core/stylegan/from-pickle.ts';
import type { NamedTensor, StyleGanNetwork } from '../../../src/core/stylegan/network.ts';
import { tinyStyleGan2, tinyStyleGan3 } from '../../../src/core/stylegan/presets.ts';
import { PReduce, dict, glob, pickle, tuple, type PNode } from '../../support/pickle-writer/pickler.ts';
import { nvidiaNetworkPickle, persistentObject, type NvidiaPickleOptions } from '../../support/pickle-writer/stylegan.ts';
import { legacyStorageBlob, tensorNode } from '../../support/pickle-writer/torch.ts';

function roundTrip(spec: GeneratorSpec, options: NvidiaPickleOptions = {}): { built: StyleGanNetwork; read: StyleGanNetwork } {
  const built = buildGenerator(spec, { seed: 7 });
  const read = networkFromPickle(unpickle(nvidiaNetworkPickle(built, options)));
  return { built, read };
}

function expectSameNetwork(read: StyleGanNetwork, built: StyleGanNetwork): void {
  expect(read.generation).toBe(built.generation);
  expect(read.root).toEqual(built.root);
  expect([...read.tensors.keys()]).toEqual([...built.tensors.keys()]);
  for (const [name, t] of built.tensors) {
    const r = read.tensors.get(name) as NamedTensor;
    expect(r.shape, name).toEqual(t.shape);
    expect(r.storedAs, name).toBe('float32');
    // Bit-identical: float32 in, float32 storage, float32 out.
    expect(Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength).equals(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength)), name).toBe(true);
  }
}

/** The stylegan3 repository's copy of StyleGAN2 (flat synthesis kwargs, fused_modconv_default as its train.py sets it). */
const sg2InStylegan3Repo: GeneratorSpec = {
  moduleName: 'training.networks_stylegan2',
  initKwargs: {
    z_dim: 8,
    w_dim: 8,
    mapping_kwargs: { num_layers: 2 },
    channel_base: 128,
    channel_max: 16,
    num_fp16_res: 2,
    conv_clamp: 256,
    fused_modconv_default: 'inference_only',
    c_dim: 0,
    img_resolution: 16,
    img_channels: 3,
  },
};

describe('networkFromPickle: NVIDIA-shaped pickles round-trip to the built network', () => {
  for (const architecture of ['orig', 'skip', 'resnet'] as const) {
    it(`stylegan2-ada ${architecture}, fp16 blocks with conv_clamp 256: same tree, tensors bit-identical`, () => {
      const { built, read } = roundTrip(tinyStyleGan2({ architecture }));
      expectSameNetwork(read, built);
      expect(read.root.children.synthesis?.children.b16?.attrs.use_fp16).toBe(true);
      expect(read.root.children.synthesis?.children.b16?.children.conv1?.attrs.conv_clamp).toBe(256);
    });
  }

  it('a conditional stylegan2-ada generator (c_dim 4) keeps its embedding layer', () => {
    const { built, read } = roundTrip(tinyStyleGan2({ cDim: 4 }));
    expectSameNetwork(read, built);
    expect(read.tensors.get('mapping.embed.weight')?.shape).toEqual([8, 4]);
    expect(read.root.initKwargs.c_dim).toBe(4);
  });

  it('no clamping (conv_clamp None), under protocol 3 (Python 3.7) and protocol 2', () => {
    for (const protocol of [2, 3] as const) {
      const { built, read } = roundTrip(tinyStyleGan2({ convClamp: null }), { protocol });
      expectSameNetwork(read, built);
    }
  });

  it('a TensorFlow StyleGAN2 converted by legacy.py (every mapping and synthesis kwarg spelled out, orig outputs)', () => {
    const spec: GeneratorSpec = {
      moduleName: 'training.networks',
      initKwargs: {
        z_dim: 8,
        c_dim: 0,
        w_dim: 8,
        img_resolution: 8,
        img_channels: 3,
        mapping_kwargs: { num_layers: 2, embed_features: null, layer_features: null, activation: 'lrelu', lr_multiplier: 0.01, w_avg_beta: 0.995 },
        synthesis_kwargs: { channel_base: 64, channel_max: 16, num_fp16_res: 0, conv_clamp: null, architecture: 'orig', resample_filter: [1, 3, 3, 1], use_noise: true, activation: 'lrelu' },
      },
    };
    const { built, read } = roundTrip(spec);
    expectSameNetwork(read, built);
  });

  it('the stylegan3 repository\'s StyleGAN2 (training.networks_stylegan2)', () => {
    const { built, read } = roundTrip(sg2InStylegan3Repo, { layout: 'stylegan3' });
    expectSameNetwork(read, built);
    expect(read.root.moduleName).toBe('training.networks_stylegan2');
  });

  for (const rotation of [false, true]) {
    for (const numpyModule of ['numpy.core.multiarray', 'numpy._core.multiarray'] as const) {
      it(`StyleGAN3-${rotation ? 'R' : 'T'} with numpy values under ${numpyModule}`, () => {
        const { built, read } = roundTrip(tinyStyleGan3({ rotation }), { layout: 'stylegan3', numpyModule });
        expectSameNetwork(read, built);
        expect(read.generation).toBe('stylegan3');
        const synthesis = read.root.children.synthesis;
        const first = synthesis?.children[(synthesis.attrs.layer_names as string[])[0] as string];
        // numpy int64 size arrays became [w, h] lists, np.bool_ a boolean, np.float64 cutoffs plain numbers.
        expect(first?.attrs.in_size).toEqual([first?.initKwargs.in_size, first?.initKwargs.in_size]);
        expect(typeof first?.attrs.use_fp16).toBe('boolean');
        expect(typeof first?.initKwargs.in_cutoff).toBe('number');
      });
    }
  }

  it('a conditional StyleGAN3', () => {
    const { built, read } = roundTrip(tinyStyleGan3({ cDim: 3 }), { layout: 'stylegan3' });
    expectSameNetwork(read, built);
  });

  it('reads G instead of G_ema when asked', () => {
    const gEma = buildGenerator(tinyStyleGan2(), { seed: 1 });
    const g = buildGenerator(tinyStyleGan2(), { seed: 2 });
    const bytes = nvidiaNetworkPickle(gEma, { G: g });
    const v = unpickle(bytes);
    expectSameNetwork(networkFromPickle(v), gEma);
    expectSameNetwork(networkFromPickle(v, { network: 'G' }), g);
  });
});

describe('networkFromPickle: what it refuses, and how it says so', () => {
  const built = buildGenerator(tinyStyleGan2(), { seed: 3 });

  it('the discriminator', () => {
    expect(() => networkFromPickle(unpickle(nvidiaNetworkPickle(built)), { network: 'D' })).toThrow(/'D' is a Discriminator .* not a Generator; choose a generator with --network/);
  });

  it('a pickle without the chosen network lists what it has', () => {
    expect(() => networkFromPickle(unpickle(nvidiaNetworkPickle(built, { omit: ['G_ema'] })))).toThrow(/no network 'G_ema'; it holds 'G', 'D', 'augment_pipe'/);
  });

  it('a bare state_dict and a plain list say what they are and what is supported', () => {
    const sd = pickle(dict([['mapping.fc0.weight', tensorNode({ shape: [2], data: [1, 2] })]]));
    expect(() => networkFromPickle(unpickle(sd))).toThrow(/a dict of 1 tensors \(a bare state_dict\?\).*supported: NVIDIA network pickles/);
    expect(() => networkFromPickle(unpickle(pickle([1, 2])))).toThrow(/holds a list, not a StyleGAN network pickle; supported/);
  });

  it('a tensor with the wrong shape is named', () => {
    const tensors = new Map(built.tensors);
    tensors.set('synthesis.b8.conv0.weight', { shape: [16, 16, 3, 1], data: new Float32Array(16 * 16 * 3) });
    const bad: StyleGanNetwork = { ...built, tensors };
    expect(() => networkFromPickle(unpickle(nvidiaNetworkPickle(bad)))).toThrow(
      "'G_ema' does not match the training.networks architecture: tensor 'synthesis.b8.conv0.weight' has shape [16, 16, 3, 1], expected [16, 16, 3, 3]",
    );
  });

  it('a missing parameter and an extra one are named', () => {
    const drop = JSON.parse(JSON.stringify(built.root)) as typeof built.root;
    const conv1 = (drop.children.synthesis?.children.b4?.children.conv1 as unknown as { params: string[] });
    conv1.params = conv1.params.filter((p) => p !== 'noise_strength');
    expect(() => networkFromPickle(unpickle(nvidiaNetworkPickle({ ...built, root: drop })))).toThrow(/tensor 'synthesis\.b4\.conv1\.noise_strength' \[\] is missing/);

    const extra = JSON.parse(JSON.stringify(built.root)) as typeof built.root;
    (extra.children.mapping as unknown as { buffers: string[] }).buffers.push('w_avg_extra');
    const tensors = new Map(built.tensors);
    tensors.set('mapping.w_avg_extra', { shape: [8], data: new Float32Array(8) });
    expect(() => networkFromPickle(unpickle(nvidiaNetworkPickle({ ...built, root: extra, tensors })))).toThrow(/unexpected tensor 'mapping\.w_avg_extra'/);
  });

  it('init kwargs the architecture does not know are named', () => {
    const root = { ...built.root, initKwargs: { ...built.root.initKwargs, fancy_mode: true } };
    expect(() => networkFromPickle(unpickle(nvidiaNetworkPickle({ ...built, root })))).toThrow(/cannot rebuild: Generator: unexpected keyword argument 'fancy_mode'/);
  });
});

describe('networkFromPickle: hostile structure is an error, not a stack overflow or a hang', () => {
  it('an init kwarg that contains itself', () => {
    const loop: PNode[] = [];
    loop.push(loop);
    const pk = pickle(
      dict([
        [
          'G_ema',
          persistentObject(
            'training.networks',
            'Generator',
            dict([
              ['_parameters', dict([])],
              ['_init_kwargs', dict([['z_dim', loop]])],
            ]),
          ),
        ],
      ]),
    );
    expect(() => networkFromPickle(unpickle(pk))).toThrow(/Generator\._init_kwargs\.z_dim(\[0\])+ is nested more than 32 levels deep \(or contains itself\)/);
  });

  it('modules nested 40 deep', () => {
    let inner: PNode = persistentObject('training.networks', 'FullyConnectedLayer', dict([]));
    for (let i = 0; i < 40; i++) inner = persistentObject('training.networks', 'Generator', dict([['_modules', dict([['m', inner]])]]));
    expect(() => networkFromPickle(unpickle(pickle(dict([['G_ema', inner]]))))).toThrow(/nested more than 16 modules deep/);
  });
});

describe('networkFromPickle: a memory bomb is refused before allocation', () => {
  it('a tensor with stride 0 over a one-element storage, claiming 2^28 elements', () => {
    const storage = new PReduce(glob('torch.storage', '_load_from_bytes'), [legacyStorageBlob([1], 'float32')]);
    const huge = (): PReduce => new PReduce(glob('torch._utils', '_rebuild_tensor_v2'), [storage, 0, tuple(2 ** 14, 2 ** 14), tuple(0, 0), false, null]);
    const g = persistentObject('training.networks', 'Generator', dict([['_buffers', dict([['a', huge()]])]]));
    expect(() => networkFromPickle(unpickle(pickle(dict([['G_ema', g]]))))).toThrow(/more than 134217728 elements \(at a, shape \[16384, 16384\]\)/);
  });
});
