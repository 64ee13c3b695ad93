import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';
import { CHROMIUM_PATH, chromiumArgs } from './tests/support/chromium.ts';
import { personVideoPath } from './tests/support/fake-camera.ts';
import { browserCommands } from './tests/support/browser-commands.ts';

/**
 * One `vitest run` runs three kinds of test:
 * - unit: the pure core in Node;
 * - browser: real headless Chromium (Debian's, never a downloaded one) with WebGL2/WebGPU on SwiftShader and a
 *   fake camera playing a real video;
 * - integration: real UDP and WebSocket sockets, the real kiosk server, pages driven in Chromium.
 */
export default defineConfig({
  // Pre-bundled up front: otherwise Vite discovers them mid-run, re-optimises and reloads the page under a test.
  optimizeDeps: {
    include: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-webgpu', '@tensorflow/tfjs-backend-wasm', 'three', '@mediapipe/tasks-vision', 'osc-js'],
  },
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['tests/unit/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          environment: 'node',
          include: ['tests/integration/**/*.test.ts', 'tests/soak/**/*.test.ts'],
          // The app tests run the built page through the real kiosk server, as `npm start` does.
          globalSetup: ['tests/support/build-once.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Each file starts servers and a browser: one at a time on a 2-core machine.
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({
              launchOptions: { executablePath: CHROMIUM_PATH, args: chromiumArgs(personVideoPath()) },
            }),
            instances: [{ browser: 'chromium' }],
            commands: browserCommands,
          },
        },
      },
    ],
  },
});
