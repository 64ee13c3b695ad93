/** What the page reports every second in its heartbeat (POST /api/heartbeat). */
export interface PageVitals {
  readonly fps: number;
  readonly tensors: number;
  readonly tensorBytes: number;
  readonly heapBytes: number;
  readonly backend: string;
  readonly camera: string;
  readonly pose: string;
  readonly cue: number;
  readonly phase: string;
  readonly textures: number;
  /** The frame-budget governor: its level, the measured rate and its last step and why (src/core/governor). */
  readonly governor: string;
}

const DEFAULTS: PageVitals = {
  fps: 0, tensors: 0, tensorBytes: 0, heapBytes: 0, backend: 'none', camera: 'off', pose: 'off', cue: -1, phase: 'unknown', textures: 0,
  governor: 'off',
};

/** Reads a heartbeat body defensively: a page bug must not take the server down or poison /health. */
export function parseVitals(body: unknown): PageVitals {
  if (typeof body !== 'object' || body === null) return DEFAULTS;
  const b = body as Record<string, unknown>;
  const num = (k: keyof PageVitals): number => {
    const v = b[k];
    return typeof v === 'number' && Number.isFinite(v) ? v : (DEFAULTS[k] as number);
  };
  const str = (k: keyof PageVitals): string => {
    const v = b[k];
    return typeof v === 'string' ? v.slice(0, 200) : (DEFAULTS[k] as string);
  };
  return {
    fps: num('fps'), tensors: num('tensors'), tensorBytes: num('tensorBytes'), heapBytes: num('heapBytes'),
    backend: str('backend'), camera: str('camera'), pose: str('pose'), cue: num('cue'), phase: str('phase'),
    textures: num('textures'), governor: str('governor'),
  };
}
