/**
 * A parameter is declared once (its spec); the OSC address space, the OSCQuery tree, the HUD and the show-file
 * schema for mappings are all derived from the list of specs in catalogue.ts.
 */

/** Who wrote a value. Higher priority wins: desk override > cue fade > pose mapping > show default. */
export type Source = 'show' | 'pose' | 'cue' | 'desk';

export const SOURCE_PRIORITY: Readonly<Record<Source, number>> = { show: 0, pose: 1, cue: 2, desk: 3 };

/** 'rw': anyone may write; 'r': a status value only the app itself reports (fps, backend…). */
export type Access = 'rw' | 'r';

interface SpecBase {
  /** Slash-separated, e.g. "morph/mode"; the OSC address is "/sitter/" + name. */
  readonly name: string;
  readonly description: string;
  readonly access: Access;
  /** Shown on the HUD when true; status values and the most used controls. */
  readonly hud?: boolean;
}

export interface FloatSpec extends SpecBase {
  readonly type: 'float';
  readonly min: number;
  readonly max: number;
  readonly default: number;
  readonly unit?: string;
  /** Time constant in seconds of the exponential smoothing towards a new target; 0 jumps. */
  readonly smoothing?: number;
}

export interface IntSpec extends SpecBase {
  readonly type: 'int';
  readonly min: number;
  readonly max: number;
  readonly default: number;
  readonly unit?: string;
}

export interface BoolSpec extends SpecBase {
  readonly type: 'bool';
  readonly default: boolean;
}

export interface EnumSpec extends SpecBase {
  readonly type: 'enum';
  readonly values: readonly string[];
  readonly default: string;
}

export interface VecSpec extends SpecBase {
  readonly type: 'vec';
  readonly length: number;
  readonly min: number;
  readonly max: number;
  readonly default: readonly number[];
  readonly unit?: string;
  readonly smoothing?: number;
}

export type ParamSpec = FloatSpec | IntSpec | BoolSpec | EnumSpec | VecSpec;
export type ParamType = ParamSpec['type'];

export type ParamValue = number | boolean | string | readonly number[];

/** The value type a spec holds, for typed reads. */
export type ValueOf<S extends ParamSpec> = S extends FloatSpec | IntSpec
  ? number
  : S extends BoolSpec
    ? boolean
    : S extends EnumSpec
      ? string
      : readonly number[];

export interface ParamChange {
  readonly name: string;
  /** The value the parameter is moving to (after smoothing, the current value reaches it). */
  readonly target: ParamValue;
  readonly source: Source;
}
