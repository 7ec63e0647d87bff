import { describe, expect, it } from 'vitest';
import {
  batchBytes,
  conv2dParams,
  convLayerCost,
  convOutputSize,
  fitsExactly,
  formatBytes,
  samePadding,
  separableConv2dParams,
  sizeChain,
} from '../lib/vision';

describe("the seed's memory example", () => {
  const cost = convLayerCost({ input: [150, 100, 3], filters: 200, kernel: 5, stride: 1, padding: 'same' });
  it('15,200 parameters: (5*5*3 + 1) * 200', () => {
    expect(cost.params).toBe(15_200);
    expect(cost.fanIn).toBe(75);
  });
  it('200 maps of 150x100 and 225 million multiplications', () => {
    expect(cost.outputShape).toEqual([150, 100, 200]);
    expect(cost.multiplications).toBe(225_000_000);
  });
  it('12 MB per instance in float32 (96 million bits), 1.2 GB per batch of 100', () => {
    expect(cost.bytesPerInstance * 8).toBe(96_000_000);
    expect(cost.bytesPerInstance).toBe(12_000_000);
    expect(formatBytes(cost.bytesPerInstance)).toBe('12 MB');
    expect(batchBytes(cost, 100)).toBe(1_200_000_000);
    expect(formatBytes(batchBytes(cost, 100))).toBe('1.2 GB');
  });
  it('float16 halves the memory, no bias removes 200 parameters', () => {
    expect(convLayerCost({ input: [150, 100, 3], filters: 200, kernel: 5, bytesPerValue: 2 }).bytesPerInstance).toBe(6_000_000);
    expect(convLayerCost({ input: [150, 100, 3], filters: 200, kernel: 5, useBias: false }).params).toBe(15_000);
  });
});

describe('output sizes', () => {
  it("AlexNet's chain 227 -> 55 -> 27 -> 13 -> 6 (convs 'same' in between keep the size)", () => {
    const rows = sizeChain(227, [
      { name: 'C1 conv 11x11/4', f: 11, stride: 4 },
      { name: 'S2 max 3x3/2', f: 3, stride: 2 },
      { name: 'C3 conv 5x5 same', f: 5, padding: 2 },
      { name: 'S4 max 3x3/2', f: 3, stride: 2 },
      { name: 'C5 conv 3x3 same', f: 3, padding: 1 },
      { name: 'C6 conv 3x3 same', f: 3, padding: 1 },
      { name: 'C7 conv 3x3 same', f: 3, padding: 1 },
      { name: 'S8 max 3x3/2', f: 3, stride: 2 },
    ]);
    expect(rows.map((r) => r.output)).toEqual([55, 27, 27, 13, 13, 13, 13, 6]);
    expect(rows[0].formula).toBe('(227 - 11 + 2*0) / 4 + 1 = 55');
    expect(rows.every((r) => r.exact)).toBe(true);
  });
  it('224 does not tile with 11x11 stride 4 (the paper-vs-227 puzzle): floor gives 54', () => {
    expect(convOutputSize(224, 11, { stride: 4 })).toBe(54);
    expect(fitsExactly(224, 11, { stride: 4 })).toBe(false);
  });
  it("'same' padding: ceil(n / s), and TensorFlow's split of the padding", () => {
    expect(convOutputSize(28, 7, { padding: 'same' })).toBe(28);
    expect(convOutputSize(28, 3, { stride: 2, padding: 'same' })).toBe(14);
    expect(convOutputSize(27, 3, { stride: 2, padding: 'same' })).toBe(14);
    expect(samePadding(27, 5)).toEqual({ total: 4, before: 2, after: 2 });
    expect(samePadding(28, 2, 2)).toEqual({ total: 0, before: 0, after: 0 });
    expect(samePadding(224, 7, 2)).toEqual({ total: 5, before: 2, after: 3 });
  });
  it('pooling 2x2 / 2 halves 28 -> 14 -> 7, and a bad window throws', () => {
    expect(convOutputSize(28, 2, { stride: 2 })).toBe(14);
    expect(convOutputSize(14, 2, { stride: 2 })).toBe(7);
    expect(() => convOutputSize(3, 5)).toThrow(/does not fit/);
    expect(() => convOutputSize(10, 3, { stride: 0 })).toThrow(/stride/);
  });
});

describe('parameter counts', () => {
  it('regular vs depthwise-separable 3x3 convolution, 64 -> 128 channels', () => {
    expect(conv2dParams(64, 128, 3)).toBe(73_856);
    expect(separableConv2dParams(64, 128, 3)).toBe(576 + 8_192 + 128);
    expect(conv2dParams(3, 64, 3)).toBe(1_792);
  });
});
