/** The figures the benchmark's headline is made of: exact on small inputs. */
import { describe, expect, it } from 'vitest';
import { median, relativeStdDev, spread, trimmedMean } from '../src/run.js';

describe('round statistics', () => {
  it('median: the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('trimmedMean drops the lowest and the highest of four or more values', () => {
    expect(trimmedMean([10, 1, 2, 3, 100])).toBe(5);
    expect(trimmedMean([1, 2, 3])).toBe(2);
  });

  it('spread is (max − min) / median; relativeStdDev the sample standard deviation over the mean', () => {
    expect(spread([0.9, 1, 1.1])).toBeCloseTo(0.2, 12);
    expect(relativeStdDev([1, 1, 1])).toBe(0);
    expect(relativeStdDev([1, 2, 3])).toBeCloseTo(0.5, 12);
    expect(relativeStdDev([5])).toBe(0);
  });
});
