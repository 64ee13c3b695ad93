/**
 * NVIDIA-shaped network pickles for tests: what `pickle.dump(snapshot_data, f)` in stylegan2-ada-pytorch's and
 * stylegan3's training loops writes, built from a StyleGanNetwork (the architecture builder's output). Our own code,
 * written from the format's semantics:
 * - each network object is saved through persistence.py's `__reduce__`: `_reconstruct_persistent_obj(meta)` with
 *   meta = dict(type='class', version=6, module_src=<the module's source text>, class_name, state=<__dict__>);
 * - state is a torch.nn.Module `__dict__` in torch 2.x's key order (training, _parameters, _buffers, the hook dicts,
 *   _modules), then the attributes `__init__` assigned, then persistence's `_init_args` / `_init_kwargs`;
 * - parameters are `_rebuild_parameter` (requires_grad False after `.requires_grad_(False)`), buffers plain tensors,
 *   all float32 (fp16 layers keep float32 weights and cast at run time);
 * - StyleGAN3's numpy-typed values (np.float64 cutoffs, np.bool_ use_fp16, int64 size arrays) are numpy pickles;
 * - the Generator's nested kwargs dicts are `dnnlib.EasyDict`s, as train.py builds them.
 * module_src is placeholder text (never NVIDIA's code) carrying only the class lines the importer fingerprints.
 */
import type { AttrValue, NetworkModule, StyleGanNetwork } from '../../../src/core/stylegan/network.ts';
import { PReduce, dict, float, glob, pickle, tuple, PSet, type PNode } from './pickler.ts';
import { NumpyNodes, orderedDict, parameterNode, tensorNode } from './torch.ts';

/** persistence.py's `_version` in both repositories. */
export const PERSISTENCE_VERSION = 6;

const SOURCES: Readonly<Record<string, string>> = {
  'training.networks': placeholder('stylegan2-ada-pytorch training/networks.py', ['MappingNetwork', 'SynthesisBlock', 'SynthesisNetwork', 'Generator', 'DiscriminatorBlock', 'Discriminator'], 'skip_w_avg_update'),
  'training.networks_stylegan2': placeholder('stylegan3 training/networks_stylegan2.py', ['MappingNetwork', 'SynthesisBlock', 'SynthesisNetwork', 'Generator', 'DiscriminatorBlock', 'Discriminator'], 'update_emas'),
  'training.networks_stylegan3': placeholder('stylegan3 training/networks_stylegan3.py', ['MappingNetwork', 'SynthesisInput', 'SynthesisLayer', 'SynthesisNetwork', 'Generator'], 'update_emas'),
  'training.augment': placeholder('training/augment.py', ['AugmentPipe'], ''),
};

function placeholder(file: string, classes: readonly string[], marker: string): string {
  return [`# Test placeholder standing in for ${file}; not NVIDIA's code.`, ...classes.map((c) => `class ${c}(torch.nn.Module):\n    pass  # ${marker}`), ''].join('\n');
}

/**
 * Which values StyleGAN3's code computes with numpy (so they pickle as numpy scalars or arrays): SynthesisNetwork
 * passes `sampling_rates[0]`, `cutoffs[i]`, `half_widths[i]` (np.float64) and `use_fp16` (np.bool_) as kwargs, but
 * sizes as `int(...)`; the layers then store sizes as `np.broadcast_to(np.asarray(size), [2])`.
 */
type NumpyKind = 'f8' | 'bool' | 'i8[2]';
const SG3_KWARGS_NUMPY: Readonly<Record<string, Readonly<Record<string, NumpyKind>>>> = {
  SynthesisInput: { sampling_rate: 'f8', bandwidth: 'f8' },
  SynthesisLayer: { use_fp16: 'bool', in_cutoff: 'f8', out_cutoff: 'f8', in_half_width: 'f8', out_half_width: 'f8' },
};
const SG3_ATTRS_NUMPY: Readonly<Record<string, Readonly<Record<string, NumpyKind>>>> = {
  SynthesisInput: { ...SG3_KWARGS_NUMPY.SynthesisInput, size: 'i8[2]' },
  SynthesisLayer: { ...SG3_KWARGS_NUMPY.SynthesisLayer, in_size: 'i8[2]', out_size: 'i8[2]' },
};

export interface NvidiaPickleOptions {
  /** The generator saved as 'G' (default: the same tensors as G_ema, as right after initialisation). */
  readonly G?: StyleGanNetwork;
  /** Python's default protocol: 4 since 3.8; 3 under the Python 3.7 stylegan2-ada recommends. */
  readonly protocol?: 2 | 3 | 4;
  /** numpy 1.x or 2.x module names for StyleGAN3's numpy values. */
  readonly numpyModule?: 'numpy.core.multiarray' | 'numpy._core.multiarray';
  /** Which training loop's dict order: stylegan2-ada puts training_set_kwargs first, stylegan3 last. */
  readonly layout?: 'stylegan2-ada' | 'stylegan3';
  /** Leave a key out (e.g. to test a pickle without G_ema). */
  readonly omit?: readonly string[];
}

class Writer {
  readonly numpy: NumpyNodes;
  constructor(numpyModule: 'numpy.core.multiarray' | 'numpy._core.multiarray') {
    this.numpy = new NumpyNodes(numpyModule);
  }

  value(v: AttrValue, numpy?: NumpyKind): PNode {
    if (numpy === 'f8' && typeof v === 'number') return this.numpy.scalarF8(v);
    if (numpy === 'bool' && typeof v === 'boolean') return this.numpy.scalarBool(v);
    if (numpy === 'i8[2]' && Array.isArray(v)) return this.numpy.arrayI8(v as number[]);
    if (numpy === 'i8[2]' && typeof v === 'number') return this.numpy.arrayI8([v, v]);
    if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
    if (typeof v === 'number') return Number.isInteger(v) ? v : float(v);
    if (Array.isArray(v)) return (v as readonly AttrValue[]).map((x) => this.value(x));
    return dict(Object.entries(v as Record<string, AttrValue>).map(([k, x]) => [k, this.value(x)] as const));
  }

  kwargs(m: NetworkModule, root: boolean): PNode {
    const numpy = m.moduleName === 'training.networks_stylegan3' ? (SG3_KWARGS_NUMPY[m.className] ?? {}) : {};
    return dict(
      Object.entries(m.initKwargs).map(([k, v]) => {
        // train.py's G_kwargs.mapping_kwargs / synthesis_kwargs are dnnlib.EasyDicts; deepcopy keeps the type.
        if (root && v !== null && typeof v === 'object' && !Array.isArray(v)) {
          const items = Object.entries(v as Record<string, AttrValue>).map(([kk, x]) => [kk, this.value(x)] as const);
          return [k, new PReduce(glob('dnnlib.util', 'EasyDict'), [], { newobj: true, dictItems: items })] as const;
        }
        return [k, this.value(v, numpy[k])] as const;
      }),
    );
  }

  module(m: NetworkModule, prefix: string, net: StyleGanNetwork, root: boolean): PReduce {
    const tensor = (name: string, param: boolean): PNode => {
      const t = net.tensors.get(prefix + name);
      if (t === undefined) throw new Error(`pickle writer: no tensor ${prefix + name}`);
      return param ? parameterNode({ shape: t.shape, data: t.data }) : tensorNode({ shape: t.shape, data: t.data });
    };
    const numpy = m.moduleName === 'training.networks_stylegan3' ? (SG3_ATTRS_NUMPY[m.className] ?? {}) : {};
    const state: (readonly [PNode, PNode])[] = [
      ['training', false],
      ['_parameters', orderedDict(m.params.map((p) => [p, tensor(p, true)] as const))],
      ['_buffers', orderedDict(m.buffers.map((b) => [b, tensor(b, false)] as const))],
      ['_non_persistent_buffers_set', new PSet([])],
      ['_backward_pre_hooks', orderedDict()],
      ['_backward_hooks', orderedDict()],
      ['_is_full_backward_hook', null],
      ['_forward_hooks', orderedDict()],
      ['_forward_hooks_with_kwargs', orderedDict()],
      ['_forward_hooks_always_called', orderedDict()],
      ['_forward_pre_hooks', orderedDict()],
      ['_forward_pre_hooks_with_kwargs', orderedDict()],
      ['_state_dict_hooks', orderedDict()],
      ['_state_dict_pre_hooks', orderedDict()],
      ['_load_state_dict_pre_hooks', orderedDict()],
      ['_load_state_dict_post_hooks', orderedDict()],
      ['_modules', orderedDict(Object.entries(m.children).map(([k, c]) => [k, this.module(c, `${prefix}${k}.`, net, false)] as const))],
      ...Object.entries(m.attrs).map(([k, v]) => [k, this.value(v, numpy[k])] as const),
      ['_init_args', tuple()],
      ['_init_kwargs', this.kwargs(m, root)],
    ];
    return persistentObject(m.moduleName, m.className, dict(state));
  }
}

/** `_reconstruct_persistent_obj(dict(type='class', version, module_src, class_name, state))`. */
export function persistentObject(moduleName: string, className: string, state: PNode): PReduce {
  const src = SOURCES[moduleName];
  if (src === undefined) throw new Error(`pickle writer: no placeholder source for ${moduleName}`);
  const meta = dict([
    ['type', 'class'],
    ['version', PERSISTENCE_VERSION],
    ['module_src', src],
    ['class_name', className],
    ['state', state],
  ]);
  return new PReduce(glob('torch_utils.persistence', '_reconstruct_persistent_obj'), [meta]);
}

/** A persistent object that is not a generator (D, augment_pipe): a few attributes and one buffer. */
function otherModule(moduleName: string, className: string, kwargs: Readonly<Record<string, AttrValue>>, w: Writer): PReduce {
  return persistentObject(
    moduleName,
    className,
    dict([
      ['training', false],
      ['_parameters', orderedDict()],
      ['_buffers', orderedDict([['p', tensorNode({ shape: [], data: [0.2] })]])],
      ['_modules', orderedDict()],
      ['_init_args', tuple()],
      ['_init_kwargs', w.value(kwargs as AttrValue)],
    ]),
  );
}

/** The bytes of a `network-snapshot-*.pkl` whose G_ema (and G) are the given networks. */
export function nvidiaNetworkPickle(gEma: StyleGanNetwork, options: NvidiaPickleOptions = {}): Uint8Array {
  const w = new Writer(options.numpyModule ?? 'numpy.core.multiarray');
  const rootKw = gEma.root.initKwargs;
  const G = w.module((options.G ?? gEma).root, '', options.G ?? gEma, true);
  const Gema = w.module(gEma.root, '', gEma, true);
  const D = otherModule(gEma.root.moduleName === 'training.networks_stylegan3' ? 'training.networks_stylegan2' : gEma.root.moduleName, 'Discriminator', { c_dim: rootKw.c_dim ?? 0, img_resolution: rootKw.img_resolution ?? 0, img_channels: 3 }, w);
  const augment = otherModule('training.augment', 'AugmentPipe', { xflip: 1, rotate90: 1 }, w);
  const trainingSet = dict([
    ['class_name', 'training.dataset.ImageFolderDataset'],
    ['path', '/data/portraits.zip'],
    ['use_labels', (rootKw.c_dim ?? 0) !== 0],
    ['max_size', 1000],
    ['xflip', false],
    ['resolution', w.value(rootKw.img_resolution ?? null)],
  ]);
  const entries: [string, PNode][] =
    options.layout === 'stylegan3'
      ? [['G', G], ['D', D], ['G_ema', Gema], ['augment_pipe', augment], ['training_set_kwargs', trainingSet]]
      : [['training_set_kwargs', trainingSet], ['G', G], ['D', D], ['G_ema', Gema], ['augment_pipe', augment]];
  const omit = new Set(options.omit ?? []);
  return pickle(dict(entries.filter(([k]) => !omit.has(k))), { protocol: options.protocol ?? 4 });
}
