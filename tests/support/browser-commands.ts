import type { BrowserCommand } from 'vitest/node';
import { CAMERA_FRAMES, personFrame } from './fake-camera.ts';
import { signatureOf } from './frame-signature.ts';

/** Runs in Node: the signatures of every frame the fake camera plays. */
const cameraSignatures: BrowserCommand<[]> = () =>
  Array.from({ length: CAMERA_FRAMES }, (_, i) => {
    const f = personFrame(i);
    return signatureOf(f.data, f.width, f.height, f.channels);
  });

export const browserCommands = { cameraSignatures };
