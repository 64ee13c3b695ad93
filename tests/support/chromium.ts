/**
 * Flags for Debian's Chromium in tests, measured on this machine (see tests/README.md):
 * - WebGL2 comes through ANGLE on SwiftShader without a flag; --enable-unsafe-swiftshader silences its deprecation.
 * - WebGPU needs --enable-unsafe-webgpu (the adapter is SwiftShader, isFallbackAdapter: true).
 * - The fake camera plays a y4m file in a loop; the fake UI grants the permission prompt.
 * - No background networking: nothing in a test may reach outside this machine.
 */
export const CHROMIUM_PATH = process.env.SITTER_CHROMIUM ?? '/usr/bin/chromium';

export function chromiumArgs(videoPath: string): string[] {
  return [
    '--no-sandbox',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    '--disable-dev-shm-usage',
    '--enable-unsafe-swiftshader',
    '--ignore-gpu-blocklist',
    '--enable-unsafe-webgpu',
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    `--use-file-for-fake-video-capture=${videoPath}`,
    '--autoplay-policy=no-user-gesture-required',
  ];
}
