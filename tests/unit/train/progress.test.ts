import { describe, expect, it } from 'vitest';
import { formatDuration, progressBar, StepRate } from '../../../tools/train/progress.ts';

describe('training progress line', () => {
  it('draws a bar that is empty, part-filled and full, and nothing for an open-ended run', () => {
    expect(progressBar(0, 100, 10)).toBe('[..........]   0%');
    expect(progressBar(25, 100, 10)).toBe('[###.......]  25%');
    expect(progressBar(150, 100, 10)).toBe('[##########] 100%');
    expect(progressBar(5, Infinity)).toBe('');
  });

  it('averages the step time so one busy interval does not swing the ETA, and ignores nonsense', () => {
    const r = new StepRate(3);
    expect(r.add(1)).toBe(1);
    expect(r.add(3)).toBe(2);
    expect(r.add(Number.NaN)).toBe(2);
    expect(r.add(0)).toBe(2);
  });

  it('formats durations in the unit a person reads', () => {
    expect(formatDuration(30)).toBe('30 s');
    expect(formatDuration(600)).toBe('10 min');
    expect(formatDuration(3 * 3600)).toBe('3.0 h');
    expect(formatDuration(Infinity)).toBe('open-ended');
  });
});
