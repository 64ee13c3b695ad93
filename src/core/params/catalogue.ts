import type { ParameterBus } from './bus.ts';
import type { ParamSpec } from './types.ts';

/** How many semantic direction sliders a show can steer; a model's directions.json names up to this many. */
export const STEER_SLOTS = 8;

export const WALK_MODES = ['tour', 'loop', 'noise-loop', 'random', 'hold', 'towards'] as const;
export type WalkMode = (typeof WALK_MODES)[number];

export const MORPH_MODES = ['crossfade', 'flow', 'dissolve'] as const;
export type MorphMode = (typeof MORPH_MODES)[number];

export const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu', 'none'] as const;

/** layout/upscale: the learned super-resolution stage after the generator (src/generator/upscale/rule.ts). */
export const UPSCALE_MODES = ['off', 'x2', 'x4', 'auto'] as const;
export type UpscaleMode = (typeof UPSCALE_MODES)[number];

/** walk/sync: off, or keyframe spacing counted in beats or in bars of the tempo (src/core/tempo). */
export const WALK_SYNC_MODES = ['off', 'beat', 'bar'] as const;

/** The steering sliders' names: `steer/0` … `steer/7`. */
export type SteerName = `steer/${number}`;

const steer: (ParamSpec & { readonly name: SteerName })[] = Array.from({ length: STEER_SLOTS }, (_, i) => ({
  name: `steer/${i}` as const,
  type: 'float',
  min: -3,
  max: 3,
  default: 0,
  unit: 'σ',
  smoothing: 0.4,
  access: 'rw',
  description: `Weight of semantic direction ${i} (named in the model's directions.json), in standard deviations.`,
}));

export const NOISE_MODES = ['const', 'random', 'none'] as const;
export type NoiseModeName = (typeof NOISE_MODES)[number];

/** Most w vectors any StyleGAN takes (StyleGAN2 at 1024 px: 18; StyleGAN3-T/R at 1024 px: 16). */
export const MAX_STYLE_LAYERS = 32;

/**
 * StyleGAN models only: a model without a mapping network ignores these, and every default leaves a StyleGAN as
 * NVIDIA's generate.py would run it (const noise at full strength, no mixing, truncation on every layer, class 0).
 */
const style: ParamSpec[] = [
  { name: 'style/noise-mode', type: 'enum', values: NOISE_MODES, default: 'const', access: 'rw',
    description: 'StyleGAN per-pixel noise: const (the stored noise, the same picture for the same w), random (new grain every frame), none.' },
  { name: 'style/noise-strength', type: 'float', min: 0, max: 2, default: 1, smoothing: 0.3, unit: '×', access: 'rw',
    description: 'Multiplies every StyleGAN layer\'s learned noise strength; 0 is as smooth as noise none.' },
  { name: 'style/mix-layer', type: 'int', min: 0, max: MAX_STYLE_LAYERS, default: 0, access: 'rw',
    description: 'Style mixing: w layers from this index on come from portrait style/mix-seed (fine detail, colour), the ones before from the walk (pose, shape); 0 is off.' },
  { name: 'style/mix-seed', type: 'int', min: 0, max: 2147483647, default: 0, access: 'rw',
    description: 'Portrait number whose fine layers style mixing takes (truncated and steered like the walk).' },
  { name: 'style/truncation-cutoff', type: 'int', min: 0, max: MAX_STYLE_LAYERS, default: 0, access: 'rw',
    description: 'Apply walk/truncation to the first N w layers only (the rest untruncated: detail stays varied); 0 truncates all.' },
  { name: 'style/class', type: 'int', min: 0, max: 99999, default: 0, access: 'rw',
    description: 'Class of a conditional StyleGAN (c_dim > 0), clamped to its classes; changing it is a cut.' },
];

/**
 * Every controllable value of Sitter, declared once. OSC addresses (/sitter/<name>), the OSCQuery tree, the HUD
 * and the show-file mapping targets are derived from this list; add a parameter here and it exists everywhere.
 */
const CATALOGUE = [
  // The walk through latent space.
  { name: 'walk/mode', type: 'enum', values: WALK_MODES, default: 'tour', access: 'rw', hud: true,
    description: 'How the walk moves: tour (keyframe to keyframe), loop (closed path through keyframes), noise-loop (circle), random (drift), hold (freeze), towards (glide to walk/target).' },
  { name: 'walk/speed', type: 'float', min: 0, max: 4, default: 1, unit: '×', smoothing: 0.5, access: 'rw', hud: true,
    description: 'Speed multiplier of the walk; 0 stops it without changing mode.' },
  { name: 'walk/keyframe-seconds', type: 'float', min: 0.5, max: 300, default: 8, unit: 's', access: 'rw',
    description: 'Seconds between keyframes at speed 1 (tour and loop modes).' },
  { name: 'walk/loop-keyframes', type: 'int', min: 2, max: 64, default: 6, access: 'rw',
    description: 'How many keyframes a loop passes through before it returns exactly to its start.' },
  { name: 'walk/truncation', type: 'float', min: 0, max: 1.5, default: 0.8, smoothing: 0.5, access: 'rw', hud: true,
    description: 'Truncation ψ: 0 is the average portrait, 1 the full distribution; lower is safer, higher is stranger.' },
  { name: 'walk/blend-seconds', type: 'float', min: 0, max: 60, default: 2, unit: 's', access: 'rw',
    description: 'Seconds a change of walk mode takes to blend from the old motion into the new one.' },
  { name: 'walk/seed', type: 'int', min: 0, max: 2147483647, default: 1, access: 'rw',
    description: 'Seed of the walk: the same show and seed give the same tour, frame for frame.' },
  { name: 'walk/target', type: 'int', min: 0, max: 2147483647, default: 0, access: 'rw',
    description: 'Portrait number (the seed of one latent) the "towards" mode glides to.' },
  { name: 'walk/jitter', type: 'float', min: 0, max: 1, default: 0, smoothing: 0.3, access: 'rw',
    description: 'Extra random motion added on top of any mode (e.g. driven by a visitor\'s motion).' },
  ...steer,
  ...style,
  // Morphing between generated frames.
  { name: 'morph/mode', type: 'enum', values: MORPH_MODES, default: 'crossfade', access: 'rw', hud: true,
    description: 'How the screen moves from one generated frame to the next.' },
  { name: 'morph/strength', type: 'float', min: 0, max: 1, default: 0.5, smoothing: 0.3, access: 'rw',
    description: 'Strength of the flow warp or the dissolve pattern\'s scale.' },
  // Picture: grading and film look.
  { name: 'grade/exposure', type: 'float', min: -3, max: 3, default: 0, unit: 'EV', smoothing: 0.3, access: 'rw',
    description: 'Exposure in stops.' },
  { name: 'grade/contrast', type: 'float', min: 0, max: 2, default: 1, smoothing: 0.3, access: 'rw', description: 'Contrast; 1 leaves it.' },
  { name: 'grade/saturation', type: 'float', min: 0, max: 2, default: 1, smoothing: 0.3, access: 'rw', description: 'Saturation; 0 is black and white.' },
  { name: 'grade/temperature', type: 'float', min: -1, max: 1, default: 0, smoothing: 0.3, access: 'rw', description: 'Cool (−) to warm (+).' },
  { name: 'grade/tint', type: 'float', min: -1, max: 1, default: 0, smoothing: 0.3, access: 'rw', description: 'Green (−) to magenta (+).' },
  { name: 'grain/amount', type: 'float', min: 0, max: 1, default: 0.08, smoothing: 0.3, access: 'rw', description: 'Film grain strength.' },
  { name: 'grain/size', type: 'float', min: 0.5, max: 4, default: 1.2, unit: 'px', access: 'rw', description: 'Film grain size in screen pixels.' },
  { name: 'vignette/amount', type: 'float', min: 0, max: 1, default: 0.35, smoothing: 0.3, access: 'rw', description: 'Vignette darkness at the corners.' },
  { name: 'vignette/softness', type: 'float', min: 0.05, max: 1, default: 0.5, access: 'rw', description: 'Vignette falloff width.' },
  { name: 'paint/amount', type: 'float', min: 0, max: 1, default: 0, smoothing: 0.5, access: 'rw', description: 'Painterly (Kuwahara) filter mix; 0 is off.' },
  { name: 'paint/radius', type: 'int', min: 1, max: 8, default: 4, unit: 'px', access: 'rw', description: 'Painterly filter radius.' },
  // Layout on the gallery's screen.
  { name: 'layout/fit', type: 'enum', values: ['letterbox', 'fill'], default: 'letterbox', access: 'rw',
    description: 'letterbox shows the whole portrait; fill crops it to cover the screen.' },
  { name: 'layout/rotation', type: 'enum', values: ['0', '90', '180', '270'], default: '0', access: 'rw',
    description: 'Rotation in degrees, for screens mounted in portrait.' },
  { name: 'layout/grid', type: 'int', min: 1, max: 4, default: 1, access: 'rw',
    description: 'N×N wall of sibling portraits from nearby latents; 1 is a single portrait.' },
  { name: 'layout/grid-spread', type: 'float', min: 0, max: 1, default: 0.3, smoothing: 0.5, access: 'rw',
    description: 'How far the grid\'s siblings stray from the walk.' },
  { name: 'layout/upscale', type: 'enum', values: UPSCALE_MODES, default: 'off', access: 'rw', hud: true,
    description: 'Learned super-resolution of each portrait on the GPU (models/upscale-x4): x2, x4, or auto (x4 for models of 128 px or less whose card allows it).' },
  { name: 'layout/resolution-scale', type: 'float', min: 0.25, max: 1, default: 1, access: 'rw',
    description: 'Render resolution relative to the screen, for weak machines.' },
  // Show state.
  { name: 'master/level', type: 'float', min: 0, max: 1, default: 1, smoothing: 0.05, access: 'rw', hud: true,
    description: 'Master brightness; 0 is black. /sitter/blackout fades it.' },
  { name: 'master/fade-seconds', type: 'float', min: 0, max: 60, default: 2, unit: 's', access: 'rw',
    description: 'Seconds a blackout or its release takes.' },
  { name: 'hud/visible', type: 'bool', default: false, access: 'rw', description: 'Operator HUD (key h).' },
  { name: 'hud/skeleton', type: 'bool', default: false, access: 'rw', description: 'Pose skeleton debug overlay (key s).' },
  { name: 'credits/visible', type: 'bool', default: false, access: 'rw', description: 'Credits overlay shown now.' },
  // ── Tempo and tempo-locked walks (issue #16, branch perform) ──
  { name: 'tempo/bpm', type: 'float', min: 20, max: 300, default: 120, unit: 'bpm', access: 'rw',
    description: 'Tempo set by the desk or the show; beat pulses, taps and MIDI clock then steer the live tempo (tempo/current-bpm) from here.' },
  { name: 'tempo/beats-per-bar', type: 'int', min: 1, max: 16, default: 4, access: 'rw',
    description: 'Beats in a bar: where tempo/phase wraps and walk/sync "bar" counts.' },
  { name: 'tempo/current-bpm', type: 'float', min: 20, max: 300, default: 120, unit: 'bpm', access: 'r', hud: true,
    description: 'The live tempo the walk follows (phase-locked to beat pulses, taps or MIDI clock).' },
  { name: 'tempo/phase', type: 'float', min: 0, max: 1, default: 0, access: 'r',
    description: 'Position within the bar, 0 on the downbeat.' },
  { name: 'walk/sync', type: 'enum', values: WALK_SYNC_MODES, default: 'off', access: 'rw',
    description: 'Lock the walk to the tempo: off (seconds), beat or bar (walk/sync-spacing counts beats or bars; walk/speed only starts or stops it).' },
  { name: 'walk/sync-spacing', type: 'float', min: 0.0625, max: 64, default: 1, access: 'rw',
    description: 'Keyframe spacing in beats or bars when synced: a loop of 8 keyframes at 0.5 bar closes on every 4th downbeat.' },
  // Status the app reports; read-only for everyone else.
  { name: 'status/fps', type: 'float', min: 0, max: 1000, default: 0, unit: 'fps', access: 'r', hud: true, description: 'Frames drawn per second.' },
  { name: 'status/generator-ms', type: 'float', min: 0, max: 100000, default: 0, unit: 'ms', access: 'r', hud: true, description: 'Milliseconds per generated frame.' },
  { name: 'status/backend', type: 'enum', values: BACKENDS, default: 'none', access: 'r', hud: true, description: 'TF.js backend in use.' },
  { name: 'status/presence', type: 'bool', default: false, access: 'r', hud: true, description: 'Someone is in front of the camera (engage mode).' },
  { name: 'status/people', type: 'int', min: 0, max: 16, default: 0, access: 'r', hud: true, description: 'People the camera sees.' },
  { name: 'status/cue', type: 'int', min: -1, max: 9999, default: -1, access: 'r', hud: true, description: 'Index of the current cue (−1: none).' },
  { name: 'status/tensors', type: 'int', min: 0, max: 1e9, default: 0, access: 'r', hud: true, description: 'Live TF.js tensors (must stay flat).' },
] as const satisfies readonly ParamSpec[];

export const PARAMS: readonly ParamSpec[] = CATALOGUE;

/** Every parameter's name, as a type: a misspelt name in code is a compile error, not a silent no-op. */
export type ParamName = (typeof CATALOGUE)[number]['name'];

/** The bus the page runs on, whose reads and writes take only catalogue names. */
export type SitterBus = ParameterBus<ParamName>;

const NAMES: ReadonlySet<string> = new Set(PARAMS.map((p) => p.name));

/** Narrows a name from outside (an OSC address, a show file, a stored state) to a catalogue name. */
export function isParamName(name: string): name is ParamName {
  return NAMES.has(name);
}
