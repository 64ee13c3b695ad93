import { Rng, deriveSeed } from '../latent/rng.ts';
import type { AttrValue, NamedTensor, NetworkModule } from './network.ts';

/**
 * A module while the builder constructs it, in the order a PyTorch `__init__` would: attributes, parameters, buffers
 * and submodules each keep their registration order, and `finishModule` turns the tree into the contract's
 * `NetworkModule` plus a tensor map in `state_dict()` order (a module's own parameters, then its own buffers, then
 * each child's entries, recursively — `torch.nn.Module._save_to_state_dict` followed by the `_modules` walk).
 *
 * Tensor contents are produced when the full state_dict name is known: every tensor draws from its own stream,
 * seeded by (network seed, hash of its name), so adding or removing one layer leaves every other tensor unchanged.
 */
export interface TensorDraft {
  readonly shape: readonly number[];
  /** Fills the tensor; `rng` is this tensor's own stream. */
  readonly fill: (out: Float32Array, rng: Rng) => void;
}

export interface ModuleDraft {
  readonly className: string;
  readonly moduleName: string;
  readonly initKwargs: Record<string, AttrValue>;
  readonly attrs: Record<string, AttrValue>;
  readonly params: Array<[string, TensorDraft]>;
  readonly buffers: Array<[string, TensorDraft]>;
  readonly children: Array<[string, ModuleDraft]>;
}

export function newModule(className: string, moduleName: string, initKwargs: Record<string, AttrValue>): ModuleDraft {
  return { className, moduleName, initKwargs: { ...initKwargs }, attrs: {}, params: [], buffers: [], children: [] };
}

/** Element count of a shape (a 0-d tensor holds one value). */
export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** FNV-1a over the UTF-16 code units: a stable 32-bit stream id per tensor name. */
export function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function finishModule(
  draft: ModuleDraft,
  seed: number,
): { root: NetworkModule; tensors: Map<string, NamedTensor> } {
  const tensors = new Map<string, NamedTensor>();
  const root = finish(draft, '', seed, tensors);
  return { root, tensors };
}

function finish(draft: ModuleDraft, prefix: string, seed: number, tensors: Map<string, NamedTensor>): NetworkModule {
  const own = (entries: Array<[string, TensorDraft]>): void => {
    for (const [name, t] of entries) {
      const full = prefix + name;
      const data = new Float32Array(numel(t.shape));
      t.fill(data, new Rng(deriveSeed(seed, hashName(full))));
      tensors.set(full, { shape: [...t.shape], data, storedAs: 'float32' });
    }
  };
  own(draft.params);
  own(draft.buffers);
  const children: Record<string, NetworkModule> = {};
  for (const [name, child] of draft.children) children[name] = finish(child, `${prefix}${name}.`, seed, tensors);
  return {
    className: draft.className,
    moduleName: draft.moduleName,
    initKwargs: draft.initKwargs,
    attrs: draft.attrs,
    params: draft.params.map(([n]) => n),
    buffers: draft.buffers.map(([n]) => n),
    children,
  };
}

// ---- Fills -------------------------------------------------------------------------------------------------------

/** `torch.randn(shape) * scale`. */
export function randn(shape: readonly number[], scale = 1): TensorDraft {
  return {
    shape,
    fill: (out, rng) => {
      for (let i = 0; i < out.length; i++) out[i] = rng.normal() * scale;
    },
  };
}

/** `torch.full(shape, value)` (zeros, ones, a bias_init). */
export function full(shape: readonly number[], value: number): TensorDraft {
  return { shape, fill: (out) => out.fill(value) };
}

/** A tensor with fixed contents (filters, identity matrices). */
export function constant(shape: readonly number[], values: ArrayLike<number>): TensorDraft {
  if (values.length !== numel(shape)) throw new Error(`constant tensor: ${values.length} values for shape [${shape.join(', ')}]`);
  return { shape, fill: (out) => out.set(values) };
}

/** `value + N(0, 1) * spread`: a "trained-looking" perturbation of an init value (biases, noise strengths). */
export function jittered(shape: readonly number[], value: number, spread: number): TensorDraft {
  return {
    shape,
    fill: (out, rng) => {
      for (let i = 0; i < out.length; i++) out[i] = value + rng.normal() * spread;
    },
  };
}
