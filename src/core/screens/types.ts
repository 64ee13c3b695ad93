/** Quarter turns only: displays are mounted upright, on their side or upside down. */
export const ROTATIONS = [0, 90, 180, 270] as const;
export type Rotation = (typeof ROTATIONS)[number];

/** The gap between neighbouring active areas of a wall, as pixels of this screen or as a fraction of its size. */
export interface Bezel {
  readonly unit: 'px' | 'fraction';
  /** Horizontal gap between two tiles side by side (each screen loses half of it on that side). */
  readonly x: number;
  /** Vertical gap between two tiles one above the other. */
  readonly y: number;
}

/** One screen's share of a video wall that spans several screens. */
export interface WallTile {
  readonly columns: number;
  readonly rows: number;
  /** 0-based, left to right and top to bottom, as seen by a visitor. */
  readonly column: number;
  readonly row: number;
  readonly bezel: Bezel;
  /** The screen's active area in pixels (needed only to read a bezel given in px). */
  readonly screenPx: readonly [number, number] | null;
}

/** Walk towards another portrait: the screen shows the shared walk slerped `amount` of the way to portrait #towards. */
export interface LatentRole {
  readonly towards: number;
  readonly amount: number;
}

/** A steering direction added on this screen only (steer slot i of the model's directions.json, in σ). */
export interface SteerRole {
  readonly slot: number;
  readonly sigma: number;
}

/** What one screen shows of the one shared walk. */
export interface ScreenRole {
  readonly id: string;
  /** Seconds of walk time ahead (> 0) or behind (< 0) the shared walk: a neighbour along the walk. */
  readonly timeOffset: number;
  readonly latent: LatentRole | null;
  readonly steer: SteerRole | null;
  readonly tile: WallTile | null;
  /** How the display is mounted; the picture is turned back by this much. */
  readonly rotation: Rotation;
}

/** Where the leading kiosk listens: its HTTP host:port (the bridge's page socket lives there). */
export interface LeaderAddress {
  readonly host: string;
  readonly port: number;
}

export interface ScreensConfig {
  /** The screen whose kiosk owns the desk, the cue engine and the pose input. */
  readonly leader: string;
  /** Where followers reach it; null means followers must be given --leader host:port. */
  readonly address: LeaderAddress | null;
  /** State messages per second from the leader (changes are also sent at once). */
  readonly publishHz: number;
  /** Changes take effect this long after the leader makes them, so followers receive them in time. */
  readonly scheduleAheadMs: number;
  readonly list: readonly ScreenRole[];
}
