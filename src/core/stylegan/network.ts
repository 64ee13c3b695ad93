/**
 * An imported StyleGAN network, as the page and the tools see it: a tree of modules that mirrors the PyTorch module
 * tree of NVIDIA's code (stylegan2-ada-pytorch `training/networks.py`, stylegan3 `training/networks_stylegan2.py` and
 * `networks_stylegan3.py`) and a flat map of tensors keyed exactly like that network's `state_dict()`
 * (`mapping.fc0.weight`, `synthesis.b8.conv0.affine.bias`, `synthesis.L3_52_512.up_filter`, …).
 *
 * Three producers write this shape and two consumers read it, so it is the one contract between them:
 * - the pickle importer (tools/import, reading a .pkl's persistent objects),
 * - the architecture builder (src/core/stylegan/architecture.ts: the same tree from a network's init kwargs, with
 *   random or given weights; used by benchmarks and by the tests' pickle writer),
 * - the TF.js runtime (src/generator/stylegan/) and the independent CPU reference (tests/support/stylegan-reference/).
 *
 * Attribute names are the Python attribute names of the reference code, unchanged (`in_channels`, `conv_clamp`,
 * `up`, `act_gain`, `in_size`, `up_taps`, …), so a reader can check any field against the code it came from.
 */

/** A JSON-safe attribute value: what a module's `__dict__` holds once numpy scalars become numbers and
 * small numpy arrays become (nested) lists of numbers. */
export type AttrValue = null | boolean | number | string | readonly AttrValue[] | { readonly [key: string]: AttrValue };

export interface NetworkModule {
  /** Python class name: 'Generator', 'MappingNetwork', 'SynthesisNetwork', 'SynthesisBlock', 'SynthesisLayer',
   * 'ToRGBLayer', 'FullyConnectedLayer', 'Conv2dLayer', 'SynthesisInput'. */
  readonly className: string;
  /** Python module the class came from ('training.networks', 'training.networks_stylegan2',
   * 'training.networks_stylegan3'): it tells StyleGAN2's SynthesisLayer from StyleGAN3's. */
  readonly moduleName: string;
  /** The keyword arguments the object was constructed with (persistence's `_init_kwargs`), JSON-safe. */
  readonly initKwargs: { readonly [key: string]: AttrValue };
  /** Every other plain attribute of the object's `__dict__` (not parameters, buffers, submodules, hooks, or
   * `_init_args`/`_init_kwargs`), JSON-safe. */
  readonly attrs: { readonly [key: string]: AttrValue };
  /** Local names of the parameters and buffers present (a `None` parameter, e.g. a bias-less layer, is absent). */
  readonly params: readonly string[];
  readonly buffers: readonly string[];
  /** Submodules in `_modules` order, keyed by attribute name. */
  readonly children: { readonly [name: string]: NetworkModule };
}

export type StyleGanGeneration = 'stylegan2' | 'stylegan3';

/** A tensor as the tools hold it: float32 data in PyTorch's (row-major, NCHW / [out, in, kh, kw]) layout. */
export interface NamedTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
  /** The dtype the file stored it in (fp16 layers of a .pkl keep their float32 master copy; 'float16' is rare). */
  readonly storedAs?: 'float32' | 'float16' | 'float64';
}

/** What an importer or builder produces for one generator network. */
export interface StyleGanNetwork {
  readonly generation: StyleGanGeneration;
  /** The root (class 'Generator'). */
  readonly root: NetworkModule;
  /** Every parameter and buffer, keyed by its full state_dict name. */
  readonly tensors: ReadonlyMap<string, NamedTensor>;
}

/**
 * On disk, in `models/<id>/` (written by `npm run import`, read by the page):
 * - `card.json`: the usual card with `format: "stylegan2" | "stylegan3"`, `modelUrl: "network.json"`,
 *   `latent.size` = z_dim, `output` = img_resolution square, range [-1, 1], layout NCHW, RGB,
 *   `averageW` = the `mapping.w_avg` buffer, and a `stylegan` section (StyleGanCardSection);
 * - `network.json`: `{ "format": "sitter-stylegan-network/1", "generation", "root": NetworkModule }`;
 * - `weights.json` + `weights-<k>.bin`: a TF.js weights manifest (`tf.io.WeightsManifestConfig`) whose entry names
 *   are the state_dict names above, shapes in PyTorch layout, float32 or float16-quantised.
 */
export const NETWORK_FILE_FORMAT = 'sitter-stylegan-network/1';

export interface StyleGanCardSection {
  readonly generation: StyleGanGeneration;
  readonly zDim: number;
  readonly wDim: number;
  /** Conditioning size; 0 for an unconditional model. */
  readonly cDim: number;
  /** How many w vectors the synthesis network takes. */
  readonly numWs: number;
  readonly resolution: number;
  /** Fully connected layers in the mapping network (8 for StyleGAN2's configs, 2 for StyleGAN3's). */
  readonly mappingLayers?: number;
  /** File names inside the model folder. */
  readonly network: string;
  readonly weights: string;
}
