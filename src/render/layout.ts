/**
 * Where each grid cell goes and how a portrait fits in it. Pure maths over plain numbers (no three), written into
 * caller-owned arrays so the frame loop allocates nothing.
 *
 * The "virtual screen" is the picture as the visitor sees it; on a portrait-mounted screen it is the physical
 * framebuffer turned by `rotation` degrees (clockwise), so its width is the framebuffer's height.
 */
export type Fit = 'letterbox' | 'fill';
export type Rotation = 0 | 90 | 180 | 270;

export function parseRotation(value: string): Rotation {
  return value === '90' ? 90 : value === '180' ? 180 : value === '270' ? 270 : 0;
}

/** Virtual-screen aspect (width / height) for a framebuffer of width × height turned by rotation. */
export function virtualAspect(width: number, height: number, rotation: Rotation): number {
  const quarter = rotation === 90 || rotation === 270;
  const w = quarter ? height : width;
  const h = quarter ? width : height;
  return h > 0 ? w / h : 1;
}

/** (cos, sin) of the clockwise turn, exact for quarter turns. */
export function rotationCosSin(rotation: Rotation, out: Float32Array | number[]): void {
  out[0] = rotation === 0 ? 1 : rotation === 180 ? -1 : 0;
  out[1] = rotation === 90 ? 1 : rotation === 270 ? -1 : 0;
}

/** Cell i of an n×n grid, row 0 at the top, as x0, y0, x1, y1 in virtual-screen NDC (−1…1, y up). */
export function cellRect(i: number, n: number, out: Float32Array | number[]): void {
  const col = i % n;
  const row = Math.floor(i / n);
  out[0] = -1 + (2 * col) / n;
  out[2] = -1 + (2 * (col + 1)) / n;
  out[3] = 1 - (2 * row) / n;
  out[1] = 1 - (2 * (row + 1)) / n;
}

/**
 * Scale from cell uv to image uv around the centre. letterbox shows the whole image (scale ≥ 1 on one axis:
 * the part outside [0, 1] is a bar); fill covers the cell (scale ≤ 1 on one axis: the image is cropped).
 */
export function fitScale(cellAspect: number, imageAspect: number, fit: Fit, out: Float32Array | number[]): void {
  const r = cellAspect / imageAspect;
  const wider = r >= 1;
  if (fit === 'letterbox') {
    out[0] = wider ? r : 1;
    out[1] = wider ? 1 : 1 / r;
  } else {
    out[0] = wider ? 1 : r;
    out[1] = wider ? 1 / r : 1;
  }
}

/** The part of a video wall's picture one screen shows, in 0..1 of the picture, y down (src/core/screens/tile.ts). */
export interface WallViewport {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * A rect in wall NDC (−1…1, y up: the whole wall's virtual screen) moved into this screen's NDC, in place. The
 * screen shows the viewport, so the wall spans 1/width screens across; what falls outside −1…1 is simply clipped.
 */
export function wallRect(rect: Float32Array | number[], v: WallViewport): void {
  const left = -1 - (2 * v.x) / v.width;
  const top = 1 + (2 * v.y) / v.height;
  const w = 2 / v.width;
  const h = 2 / v.height;
  // Written out, not looped over index lists: this runs per cell per frame and must not allocate.
  rect[0] = left + (((rect[0] as number) + 1) / 2) * w;
  rect[2] = left + (((rect[2] as number) + 1) / 2) * w;
  rect[1] = top - ((1 - (rect[1] as number)) / 2) * h;
  rect[3] = top - ((1 - (rect[3] as number)) / 2) * h;
}

/** The whole wall's aspect from one screen's: the wall is 1/width screens wide and 1/height tall. */
export function wallAspect(screenAspect: number, v: WallViewport | null): number {
  return v ? (screenAspect * v.height) / v.width : screenAspect;
}
