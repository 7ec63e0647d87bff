/**
 * Unsupervised learning: PCA, LDA, scalers, noise, autoencoder layers, greedy layer-wise
 * training, anomaly scores and the seed-002 feature experiment. The autoencoder builders are in
 * lib/models/autoencoders.ts and lib/models/vae.ts (re-exported here for convenience).
 *
 * Usage: `import { PCA, LDA, MinMaxScaler, addNoise, noisePercent, buildStackedAutoencoder } from '../dist/lib/unsupervised';`
 */
export * from './matrix';
export * from './pca';
export * from './lda';
export * from './scalers';
export * from './noise';
export * from './activations';
export * from './dense-transpose';
export * from './penalty-layer';
export * from './sparsity';
export * from './sampling';
export * from './greedy';
export * from './anomaly';
export * from './early-stopping-fit';
export * from './feature-experiment';
export * from '../models/autoencoders';
export * from '../models/vae';
