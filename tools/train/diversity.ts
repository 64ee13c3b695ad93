// Mean pairwise L2 distance between images: a cheap mode-collapse alarm.
// Logged as samples/real so 1.0 means "as varied as the data", ~0 = collapse.
export function meanPairwiseDistance(images: Float32Array | Uint8Array, count: number): number {
  const per = images.length / count;
  let sum = 0;
  let n = 0;
  for (let i = 0; i < count; i++) {
    for (let j = i + 1; j < count; j++) {
      let d = 0;
      for (let k = 0; k < per; k++) {
        const t = images[i * per + k]! - images[j * per + k]!;
        d += t * t;
      }
      sum += Math.sqrt(d);
      n++;
    }
  }
  return n ? sum / n : 0;
}
