/**
 * The inception module (GoogLeNet, 2014) with the functional API: four parallel branches (1x1;
 * 1x1 then 3x3; 1x1 then 5x5; 3x3 max pool then 1x1), all stride 1 and 'same' padding, joined by
 * depth concatenation. The 1x1 "bottleneck" convs cut the parameters; `inceptionParams` counts
 * them with and without the bottlenecks.
 *
 * Usage:
 *   const x = tf.input({ shape: [28, 28, 192] });
 *   const y = inceptionModule(x, GOOGLENET_3A);   // 28x28x256
 */
import * as tf from '@tensorflow/tfjs';

/** Filters of each branch (Szegedy et al. names: #1x1, #3x3 reduce, #3x3, #5x5 reduce, #5x5, pool proj). */
export interface InceptionFilters {
  f1x1: number;
  f3x3Reduce: number;
  f3x3: number;
  f5x5Reduce: number;
  f5x5: number;
  poolProj: number;
}

/** GoogLeNet's first module, inception (3a): input 28x28x192, output 28x28x256. */
export const GOOGLENET_3A: InceptionFilters = { f1x1: 64, f3x3Reduce: 96, f3x3: 128, f5x5Reduce: 16, f5x5: 32, poolProj: 32 };

function check(f: InceptionFilters): void {
  for (const [k, v] of Object.entries(f)) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`inception filters: ${k} must be a positive integer, got ${v}.`);
  }
}

/**
 * Applies one inception module to a symbolic tensor [batch, h, w, c]; output depth is
 * f1x1 + f3x3 + f5x5 + poolProj.
 *
 * Usage: `const y = inceptionModule(x, GOOGLENET_3A, 'inc3a');`
 */
export function inceptionModule(input: tf.SymbolicTensor, filters: InceptionFilters, name = 'inception'): tf.SymbolicTensor {
  check(filters);
  const conv = (n: string, f: number, k: number) => tf.layers.conv2d({ name: `${name}_${n}`, filters: f, kernelSize: k, padding: 'same', activation: 'relu' });
  const b1 = conv('1x1', filters.f1x1, 1).apply(input) as tf.SymbolicTensor;
  const b2 = conv('3x3', filters.f3x3, 3).apply(conv('3x3_reduce', filters.f3x3Reduce, 1).apply(input)) as tf.SymbolicTensor;
  const b3 = conv('5x5', filters.f5x5, 5).apply(conv('5x5_reduce', filters.f5x5Reduce, 1).apply(input)) as tf.SymbolicTensor;
  const pooled = tf.layers.maxPooling2d({ name: `${name}_pool`, poolSize: 3, strides: 1, padding: 'same' }).apply(input);
  const b4 = conv('pool_proj', filters.poolProj, 1).apply(pooled) as tf.SymbolicTensor;
  return tf.layers.concatenate({ name: `${name}_concat`, axis: -1 }).apply([b1, b2, b3, b4]) as tf.SymbolicTensor;
}

/**
 * Parameters of a module on cIn input maps: with the 1x1 bottlenecks (as built), and for the
 * naive module (1x1, 3x3 and 5x5 straight on the input, pool passed through) with the same
 * branch widths.
 *
 * Usage: `inceptionParams(192, GOOGLENET_3A) // { withBottlenecks: 163,696, naive: 387,296, outputDepth: 256, naiveOutputDepth: 416 }`
 */
export function inceptionParams(cIn: number, f: InceptionFilters): { withBottlenecks: number; naive: number; outputDepth: number; naiveOutputDepth: number } {
  check(f);
  if (!Number.isInteger(cIn) || cIn < 1) throw new Error(`inceptionParams: cIn must be a positive integer, got ${cIn}.`);
  const conv = (i: number, o: number, k: number): number => k * k * i * o + o;
  const withBottlenecks =
    conv(cIn, f.f1x1, 1) + conv(cIn, f.f3x3Reduce, 1) + conv(f.f3x3Reduce, f.f3x3, 3) + conv(cIn, f.f5x5Reduce, 1) + conv(f.f5x5Reduce, f.f5x5, 5) + conv(cIn, f.poolProj, 1);
  const naive = conv(cIn, f.f1x1, 1) + conv(cIn, f.f3x3, 3) + conv(cIn, f.f5x5, 5);
  return { withBottlenecks, naive, outputDepth: f.f1x1 + f.f3x3 + f.f5x5 + f.poolProj, naiveOutputDepth: f.f1x1 + f.f3x3 + f.f5x5 + cIn };
}

/**
 * A model holding one inception module, for summaries and shape checks.
 *
 * Usage: `buildInceptionDemo([28, 28, 192], GOOGLENET_3A).outputs[0].shape // [null, 28, 28, 256]`
 */
export function buildInceptionDemo(inputShape: readonly [number, number, number], filters: InceptionFilters = GOOGLENET_3A): tf.LayersModel {
  const input = tf.input({ shape: inputShape.slice(), name: 'inception_input' });
  return tf.model({ inputs: input, outputs: inceptionModule(input, filters, 'inception'), name: 'inception_demo' });
}
