import type { BuildOptions } from './init-style.ts';
import type { KwargsRecord } from './kwargs.ts';
import { finishModule, numel, type ModuleDraft } from './module-draft.ts';
import type { NetworkModule, StyleGanNetwork } from './network.ts';
import { draftStyleGan2Generator } from './stylegan2-architecture.ts';
import { draftStyleGan3Generator } from './stylegan3-architecture.ts';

/**
 * Builds a StyleGanNetwork exactly as NVIDIA's code would construct `Generator(**init_kwargs)`: the module tree
 * (class and module names, each object's `_init_kwargs`, the plain attributes its `__init__` sets, parameters,
 * buffers, submodules in construction order) and every tensor under its state_dict name and shape, with seeded
 * random weights at the reference init's scales and buffers computed as the code computes them.
 *
 * `moduleName` picks the code base, as a pickle's persistence metadata does:
 * - 'training.networks': stylegan2-ada-pytorch's StyleGAN2;
 * - 'training.networks_stylegan2': the stylegan3 repository's copy of StyleGAN2;
 * - 'training.networks_stylegan3': StyleGAN3 (-T and -R are the same class with different kwargs).
 *
 * `attrs` hold the attributes each class's `__init__` assigns, under their Python names, in assignment order
 * (numpy scalars as numbers, numpy size arrays as lists). `torch.nn.Module`'s own bookkeeping (`training`,
 * `_parameters`, hooks…) and persistence's `_init_args`/`_init_kwargs` are not attributes here; a `None` assigned to
 * a name that is not a registered parameter (a bias-less layer's `bias`, StyleGAN3's `embed` when c_dim = 0) is,
 * because that is where PyTorch puts it (`__dict__`).
 */
export type GeneratorModuleName = 'training.networks' | 'training.networks_stylegan2' | 'training.networks_stylegan3';

export interface GeneratorSpec {
  readonly moduleName: GeneratorModuleName;
  /** The Generator's init kwargs (`G_ema._init_kwargs`): z_dim, c_dim, w_dim, img_resolution, img_channels,
   * mapping_kwargs and synthesis_kwargs (a dict for stylegan2-ada, flat for the stylegan3 repo's classes). */
  readonly initKwargs: KwargsRecord;
}

export const GENERATOR_MODULE_NAMES: readonly GeneratorModuleName[] = ['training.networks', 'training.networks_stylegan2', 'training.networks_stylegan3'];

export function buildGenerator(spec: GeneratorSpec, options: BuildOptions = {}): StyleGanNetwork {
  const init = options.init ?? 'trained-like';
  const seed = options.seed ?? 0;
  let draft: ModuleDraft;
  switch (spec.moduleName) {
    case 'training.networks':
    case 'training.networks_stylegan2':
      draft = draftStyleGan2Generator(spec.moduleName, spec.initKwargs, init);
      break;
    case 'training.networks_stylegan3':
      draft = draftStyleGan3Generator(spec.initKwargs, init);
      break;
    default:
      throw new Error(`buildGenerator: unknown module '${String(spec.moduleName)}' (known: ${GENERATOR_MODULE_NAMES.join(', ')})`);
  }
  const { root, tensors } = finishModule(draft, seed);
  return { generation: spec.moduleName === 'training.networks_stylegan3' ? 'stylegan3' : 'stylegan2', root, tensors };
}

/** Trainable parameter count (what `sum(p.numel() for p in G.parameters())` prints), buffers excluded. */
export function countParameters(net: StyleGanNetwork, under = ''): number {
  let n = 0;
  const walk = (m: NetworkModule, prefix: string): void => {
    for (const p of m.params) {
      const name = prefix + p;
      if (name.startsWith(under)) n += numel(net.tensors.get(name)?.shape ?? []);
    }
    for (const [k, c] of Object.entries(m.children)) walk(c, `${prefix}${k}.`);
  };
  walk(net.root, '');
  return n;
}

/** The module at a dotted path ('synthesis.b8.conv0'), or an error naming the first missing part. */
export function moduleAt(net: StyleGanNetwork, path: string): NetworkModule {
  let m = net.root;
  if (path === '') return m;
  for (const part of path.split('.')) {
    const next = m.children[part];
    if (next === undefined) throw new Error(`moduleAt: '${path}' has no '${part}' (children: ${Object.keys(m.children).join(', ')})`);
    m = next;
  }
  return m;
}
