import type { Rotation, WallTile } from './types.ts';

/** The part of the wall's picture one screen shows, in 0..1 of the whole picture (x right, y down). */
export interface Viewport {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** The screen is mounted turned by this much: the renderer turns the picture back. */
  readonly rotation: Rotation;
}

/**
 * Bezel compensation the way video walls do it: the picture spans the glass *and* the gaps, so a line crossing two
 * screens stays straight and the part behind a bezel is hidden, not squeezed. In units of one screen's width the
 * wall is columns + (columns − 1)·gap wide; tile c starts at c·(1 + gap).
 */
export function tileViewport(tile: WallTile | null, rotation: Rotation = 0): Viewport {
  if (!tile) return { x: 0, y: 0, width: 1, height: 1, rotation };
  // A screen mounted on its side has its pixel width along the wall's height.
  const side = rotation === 90 || rotation === 270;
  const px = tile.screenPx ? (side ? [tile.screenPx[1], tile.screenPx[0]] : tile.screenPx) : null;
  const gx = tile.bezel.unit === 'fraction' ? tile.bezel.x : px ? tile.bezel.x / (px[0] as number) : 0;
  const gy = tile.bezel.unit === 'fraction' ? tile.bezel.y : px ? tile.bezel.y / (px[1] as number) : 0;
  const wallW = tile.columns + (tile.columns - 1) * gx;
  const wallH = tile.rows + (tile.rows - 1) * gy;
  return { x: (tile.column * (1 + gx)) / wallW, y: (tile.row * (1 + gy)) / wallH, width: 1 / wallW, height: 1 / wallH, rotation };
}
