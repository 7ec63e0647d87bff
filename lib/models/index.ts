/**
 * Model builders: layer specs with arithmetic summaries, the seed's CNN, classic architectures
 * (LeNet-5, AlexNet, VGG-16), inception modules and residual networks.
 *
 * Usage: `import { buildSeedCnn, summarizeSpec, alexnetSpec } from '../dist/lib/models';`
 */
export * from './spec';
export * from './cnn';
export * from './classic';
export * from './inception';
export * from './resnet';
