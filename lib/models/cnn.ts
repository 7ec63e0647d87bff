/**
 * The seed's CNN for Fashion-MNIST (lecture 001, "Building a CNN"): 64 7x7 filters, max pool,
 * two 128 3x3 convs, max pool, Dense 128 / 64 with dropout 0.5, softmax over 10 classes.
 *
 * Usage:
 *   const model = buildSeedCnn();            // tf.Sequential, 1,036,490 parameters
 *   summarizeSpec([28, 28, 1], seedCnnSpec()).totalParams
 */
import * as tf from '@tensorflow/tfjs';
import { LayerSpec, buildSequential } from './spec';

export interface SeedCnnOptions {
  /** Dropout rate of the two dropout layers (default 0.5, the seed's). */
  dropout?: number;
  /** Output classes (default 10). */
  classes?: number;
}

/** Fashion-MNIST's input shape: 28x28 grey. */
export const FASHION_INPUT_SHAPE: readonly [number, number, number] = [28, 28, 1];

/**
 * The seed's CNN as layer specs.
 *
 * Usage: `summarizeSpec(FASHION_INPUT_SHAPE, seedCnnSpec()).rows`
 */
export function seedCnnSpec(options: SeedCnnOptions = {}): LayerSpec[] {
  const rate = options.dropout ?? 0.5;
  return [
    { kind: 'conv2d', name: 'conv1', filters: 64, kernel: 7, padding: 'same', activation: 'relu' },
    { kind: 'maxPool', name: 'pool1', pool: 2 },
    { kind: 'conv2d', name: 'conv2', filters: 128, kernel: 3, padding: 'same', activation: 'relu' },
    { kind: 'conv2d', name: 'conv3', filters: 128, kernel: 3, padding: 'same', activation: 'relu' },
    { kind: 'maxPool', name: 'pool2', pool: 2 },
    { kind: 'flatten', name: 'flatten' },
    { kind: 'dense', name: 'dense1', units: 128, activation: 'relu' },
    { kind: 'dropout', name: 'dropout1', rate },
    { kind: 'dense', name: 'dense2', units: 64, activation: 'relu' },
    { kind: 'dropout', name: 'dropout2', rate },
    { kind: 'dense', name: 'output', units: options.classes ?? 10, activation: 'softmax' },
  ];
}

/**
 * The seed's CNN as a tfjs Sequential model (uncompiled), input [28, 28, 1].
 *
 * Usage: `const model = buildSeedCnn(); model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });`
 */
export function buildSeedCnn(options: SeedCnnOptions = {}): tf.Sequential {
  return buildSequential(FASHION_INPUT_SHAPE, seedCnnSpec(options), { name: 'seed_cnn' });
}
