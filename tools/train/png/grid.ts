// Lays out N images (uint8 HWC) into one RGB grid for PNG output.
export function makeGrid(images: Uint8Array, count: number, size: number, cols: number, pad = 2): {
  rgb: Uint8Array;
  width: number;
  height: number;
} {
  const rows = Math.ceil(count / cols);
  const width = cols * size + (cols + 1) * pad;
  const height = rows * size + (rows + 1) * pad;
  const rgb = new Uint8Array(width * height * 3).fill(24);
  for (let n = 0; n < count; n++) {
    const gx = pad + (n % cols) * (size + pad);
    const gy = pad + Math.floor(n / cols) * (size + pad);
    for (let y = 0; y < size; y++) {
      const src = (n * size * size + y * size) * 3;
      rgb.set(images.subarray(src, src + size * 3), ((gy + y) * width + gx) * 3);
    }
  }
  return { rgb, width, height };
}
