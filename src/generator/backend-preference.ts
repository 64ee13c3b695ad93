/**
 * Which tfjs backends to try, in order. Pure (no tfjs): the show file gives a list, the page URL
 * (`?backend=webgl` or `?backend=cpu,webgl`) puts its choices first; the rest of the list stays behind them as
 * fallback, so a forced backend that fails to start still leaves a running show.
 */
export const GENERATOR_BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type GeneratorBackend = (typeof GENERATOR_BACKENDS)[number];

/**
 * webgpu ▸ webgl ▸ wasm ▸ cpu, as a show's "auto". wasm (XNNPACK, SIMD) is the fallback when no GPU backend
 * starts: measured here about 5× faster than cpu (22 vs 118 ms a frame). A software WebGL (SwiftShader) still goes
 * before it; whether wasm beats a real GPU's WebGL is for each kiosk's benchmark, not for a default.
 */
export const DEFAULT_BACKEND_ORDER: readonly GeneratorBackend[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export interface BackendPreference {
  readonly order: readonly GeneratorBackend[];
  /** Names that were ignored, with why, for the log. */
  readonly warnings: readonly string[];
}

function isBackend(s: string): s is GeneratorBackend {
  return (GENERATOR_BACKENDS as readonly string[]).includes(s);
}

function parseList(names: readonly string[], where: string, warnings: string[]): GeneratorBackend[] {
  const out: GeneratorBackend[] = [];
  for (const raw of names) {
    const name = raw.trim().toLowerCase();
    if (name === '') continue;
    if (!isBackend(name)) warnings.push(`${where}: unknown backend "${raw}" ignored (expected ${GENERATOR_BACKENDS.join(', ')})`);
    else if (!out.includes(name)) out.push(name);
  }
  return out;
}

/**
 * @param search the page's query string (`location.search`) or its params; `backend` may repeat or hold a comma list.
 * @param showOrder the show file's preference list; DEFAULT_BACKEND_ORDER when absent or empty.
 */
export function backendPreference(search: string | URLSearchParams, showOrder?: readonly string[]): BackendPreference {
  const warnings: string[] = [];
  const params = typeof search === 'string' ? new URLSearchParams(search) : search;
  const fromUrl = parseList(params.getAll('backend').flatMap((v) => v.split(',')), '?backend', warnings);
  const fromShow = showOrder && showOrder.length > 0 ? parseList(showOrder, 'show backends', warnings) : [...DEFAULT_BACKEND_ORDER];
  const order = [...fromUrl, ...fromShow.filter((b) => !fromUrl.includes(b))];
  if (order.length === 0) {
    warnings.push('no usable backend named: using the default order');
    return { order: DEFAULT_BACKEND_ORDER, warnings };
  }
  return { order, warnings };
}
