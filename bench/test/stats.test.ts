/** The figures the benchmark's headline is made of: exact on small inputs. */
import { describe, expect, it } from 'vitest';
import { confidenceInterval95, median, relativeStdDev, spread, trimmedMean } from '../src/run.js';

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

  it("confidenceInterval95: the mean ± Student's t (by rounds − 1 degrees of freedom) × the standard error", () => {
    const [low, high] = confidenceInterval95([1, 2, 3])!;
    expect(low).toBeCloseTo(2 - 4.303 / Math.sqrt(3), 12);
    expect(high).toBeCloseTo(2 + 4.303 / Math.sqrt(3), 12);
    const five = confidenceInterval95([0.9, 1, 1.1, 1, 1])!;
    expect(five[1] - 1).toBeCloseTo((2.776 * Math.sqrt(0.005)) / Math.sqrt(5), 12);
    expect(five[0]).toBeCloseTo(2 - five[1], 12);
    const many = confidenceInterval95(Array.from({ length: 40 }, (_, i) => (i % 2 ? 1 : 3)))!;
    expect(many[1] - 2).toBeCloseTo((1.96 * Math.sqrt(40 / 39)) / Math.sqrt(40), 12);
    expect(confidenceInterval95([2, 2])).toEqual([2, 2]);
    expect(confidenceInterval95([5])).toBeUndefined();
  });
});
