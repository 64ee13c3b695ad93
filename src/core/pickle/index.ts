/**
 * A safe unpickler for StyleGAN network pickles (NVIDIA's stylegan2-ada-pytorch and stylegan3 `.pkl` files):
 * interprets pickle protocols 0–5 and runs nothing from the file. See globals.ts for what it accepts.
 */
import { ByteCursor } from './bytes.ts';
import { createStyleGanHost } from './globals.ts';
import { unpickleOne } from './unpickler.ts';
import { PickleError, type PyValue } from './values.ts';

export { PickleError, PyDict, PyGlobal, PySet, PyTuple, describePy, isPyObject, pyInt, type PyValue } from './values.ts';
export { PersistentObject, moduleNameOfSource } from './persistence.ts';
export { TorchStorage, TorchTensor, tensorToFloat32 } from './torch.ts';
export { NumpyArray, NumpyDtype } from './numpy.ts';
export { createStyleGanHost, describeWhitelist } from './globals.ts';
export { unpickleOne, type PickleHost } from './unpickler.ts';
export { ByteCursor } from './bytes.ts';

/** Reads a pickle file's object. Bytes after its STOP are ignored, as Python's pickle.load ignores them. */
export function unpickle(bytes: Uint8Array): PyValue {
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
    throw new PickleError('pickle: this is a zip archive (a torch.save checkpoint such as rosinality\'s .pt), not a plain pickle');
  }
  const cur = new ByteCursor(bytes);
  return unpickleOne(cur, createStyleGanHost());
}
