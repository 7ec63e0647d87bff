/**
 * Model builders: layer specs with arithmetic summaries, the seed's CNN, classic architectures
 * (LeNet-5, AlexNet, VGG-16), inception modules, residual networks, and the autoencoders
 * (linear, stacked, tied, denoising, sparse, conv) and the variational autoencoder.
 *
 * Usage: `import { buildSeedCnn, summarizeSpec, alexnetSpec, buildStackedAutoencoder } from '../dist/lib/models';`
 */
export * from './spec';
export * from './cnn';
export * from './classic';
export * from './inception';
export * from './resnet';
export * from './autoencoders';
export * from './vae';
