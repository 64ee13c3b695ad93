import type { SoakReport } from './harness.ts';

/**
 * What counts as growth. Tensors and textures must stay flat after warm-up (a context loss rebuilds the same
 * set); the heap, measured after a forced GC, may wander by a few MB but must not climb.
 */
export function judge(r: SoakReport): string[] {
  const out: string[] = [];
  const [tMin, tMax] = r.ranges.tensors;
  if (tMax - tMin > 4) out.push(`tensors ranged ${tMin}..${tMax} after warm-up (slope ${r.slopes.tensorsPerMinute.toFixed(2)}/min)`);
  // Same count, more bytes would mean tensors swapped for bigger ones each time: judged like the heap.
  const [bMin, bMax] = r.ranges.tensorMB;
  if (bMax - bMin > 8 && r.slopes.tensorMBPerMinute > 0.5) {
    out.push(`tensor memory grew ${bMin}..${bMax} MB (slope ${r.slopes.tensorMBPerMinute.toFixed(2)} MB/min)`);
  }
  const [xMin, xMax] = r.ranges.textures;
  if (xMax - xMin > 4) out.push(`textures ranged ${xMin}..${xMax} after warm-up`);
  const [hMin, hMax] = r.ranges.heapMB;
  if (hMax - hMin > 8 && r.slopes.heapMBPerMinute > 0.5) {
    out.push(`heap grew ${hMin}..${hMax} MB (slope ${r.slopes.heapMBPerMinute.toFixed(2)} MB/min)`);
  }
  if (r.samples.length < 4) out.push(`only ${r.samples.length} samples`);
  return out;
}
