import { encodePng as encodeRaster } from '../../lib/png.ts';

/** RGB bytes (width·height·3) → PNG, through the codec the tools and tests share (tools/lib/png.ts). */
export function encodePng(rgb: Uint8Array, width: number, height: number): Buffer {
  return encodeRaster({ width, height, channels: 3, data: rgb });
}
