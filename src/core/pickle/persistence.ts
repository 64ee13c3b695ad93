import { PickleError, PyDict, describePy, type PyObject, type PyValue } from './values.ts';

/**
 * An object NVIDIA's `torch_utils/persistence.py` pickled: `_reconstruct_persistent_obj(meta)` with
 * meta = {type: 'class', version, module_src, class_name, state}, state being the object's `__dict__`.
 * The real loader exec()s module_src; we keep only which module it was (by fingerprint) and never run it.
 */
export class PersistentObject implements PyObject {
  readonly pyKind = 'persistent object';
  constructor(
    readonly className: string,
    readonly moduleName: string,
    readonly version: number | null,
    readonly state: PyDict,
  ) {}
}

/**
 * Which of NVIDIA's modules a module_src is, by text that only that module contains (the pickle does not store the
 * module's name). Only read, never run.
 */
export function moduleNameOfSource(src: string): string {
  if (/^class SynthesisInput\b/m.test(src)) return 'training.networks_stylegan3';
  if (/^class AugmentPipe\b/m.test(src)) return 'training.augment';
  if (/^class SynthesisBlock\b/m.test(src) || /^class MappingNetwork\b/m.test(src) || /^class DiscriminatorBlock\b/m.test(src)) {
    // stylegan3's networks_stylegan2.py renamed the mapping network's skip_w_avg_update to update_emas.
    return /\bupdate_emas\b/.test(src) ? 'training.networks_stylegan2' : 'training.networks';
  }
  return 'unknown';
}

export function reconstructPersistent(args: readonly PyValue[], at: number): PersistentObject {
  const meta = args[0];
  if (args.length !== 1 || !(meta instanceof PyDict)) {
    throw new PickleError(`pickle: _reconstruct_persistent_obj takes one meta dict, got ${args.length} arguments (${describePy(meta)}), at byte ${at}`);
  }
  const type = meta.get('type');
  if (type !== 'class') throw new PickleError(`pickle: persistent object of type ${describePy(type)} (expected 'class'), at byte ${at}`);
  const className = meta.get('class_name');
  const src = meta.get('module_src');
  const state = meta.get('state');
  const version = meta.get('version');
  if (typeof className !== 'string') throw new PickleError(`pickle: persistent object without a class_name, at byte ${at}`);
  if (typeof src !== 'string') throw new PickleError(`pickle: persistent object ${className} without module_src, at byte ${at}`);
  if (!(state instanceof PyDict)) throw new PickleError(`pickle: persistent object ${className} has state ${describePy(state)}, expected a dict, at byte ${at}`);
  return new PersistentObject(className, moduleNameOfSource(src), typeof version === 'number' ? version : null, state);
}
