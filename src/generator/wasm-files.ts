// tfjs-backend-wasm's binaries, bundled by Vite from node_modules (never a CDN) like MediaPipe's: the build copies
// them into dist/assets and these are their URLs. tfjs picks one at run time: SIMD where the browser has it, the
// threaded build only on cross-origin-isolated pages (the kiosk page is not, so it never fetches that one).
import plain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

export const BUNDLED_WASM_FILES = {
  'tfjs-backend-wasm.wasm': plain,
  'tfjs-backend-wasm-simd.wasm': simd,
  'tfjs-backend-wasm-threaded-simd.wasm': threadedSimd,
} as const;
