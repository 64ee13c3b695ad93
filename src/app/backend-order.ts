import type { GeneratorBackend } from '../generator/index.ts';

interface MaybeFallbackAdapter {
  readonly isFallbackAdapter?: boolean;
  readonly info?: { readonly isFallbackAdapter?: boolean };
}

/**
 * WebGPU comes first for a real GPU. A fallback adapter (SwiftShader: WebGPU emulated on the CPU) is no GPU at
 * all: measured here it is ~5× slower than WebGL on the same SwiftShader and starves the frame loop, while WebGL
 * shares three's context and hands frames over without a copy. So a software WebGPU adapter goes after WebGL.
 */
export async function demoteSoftwareWebGpu(order: readonly GeneratorBackend[], gpu: GPU | undefined = navigator.gpu): Promise<GeneratorBackend[]> {
  const out = [...order];
  const i = out.indexOf('webgpu');
  const j = out.indexOf('webgl');
  if (i < 0 || j < 0 || i > j || !gpu) return out;
  let software = false;
  try {
    const adapter = (await gpu.requestAdapter()) as (GPUAdapter & MaybeFallbackAdapter) | null;
    software = adapter !== null && (adapter.info?.isFallbackAdapter === true || adapter.isFallbackAdapter === true);
  } catch {
    return out;
  }
  if (!software) return out;
  out.splice(i, 1);
  out.splice(out.indexOf('webgl') + 1, 0, 'webgpu');
  return out;
}
