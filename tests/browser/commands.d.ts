import 'vitest/browser';

declare module 'vitest/browser' {
  interface BrowserCommands {
    /** Patch-mean signatures (see tests/support/browser-commands.ts) of each frame the fake camera plays. */
    cameraSignatures: () => Promise<number[][]>;
  }
}
