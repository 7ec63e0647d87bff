/**
 * Unsupervised learning: PCA, LDA, scalers, noise, greedy layer-wise training, anomaly scores
 * and the seed-002 feature experiment. The autoencoder builders are in lib/models
 * (autoencoders.ts, vae.ts) and their custom layers in lib/layers; import them from there.
 *
 * | need | use |
 * | --- | --- |
 * | PCA (four steps), explained variance, inverse | `new PCA({ nComponents, preprocess?, solver? })` (pca.ts) |
 * | Fisher LDA to 2-D | `new LDA({ nComponents: 2 }).fitTransform(codes, labels)` (lda.ts) |
 * | scale features, fit on train only | `MinMaxScaler`, `StandardScaler` (scalers.ts) |
 * | corrupt inputs; "p % noise" | `addNoise(x, spec, seed)`, `noisePercent(p)` (noise.ts) |
 * | autoencoders: linear, stacked, tied, denoising, sparse, conv | `build*Autoencoder(...)` -> `{ autoencoder, encoder, decoder }` (lib/models) |
 * | VAE, samples from the prior | `buildVariationalAutoencoder`, `sampleFromPrior` (lib/models) |
 * | custom layers | `DenseTranspose`, `SparsityRegularization`, `Sampling` (lib/layers; all registered for serialisation) |
 * | greedy layer-wise training | `trainGreedyLayerwise(x, { inputShape, hiddenSizes, epochs })` |
 * | anomaly scores | `reconstructionErrorsOf(model, x)`, `quantile`, `flagAnomalies` |
 * | seed 002's experiment | `experimentData`, `fitExtractor`, `trainClassifier`, `runFeatureExperiment`, `resultsTable`, `confusionTable`, `bestRow` |
 * | early stopping with best weights on tfjs's fit | `fitWithEarlyStopping` |
 *
 * The builders' models train with tfjs's `model.fit` and with lib/train's `compile`/`fit`; the
 * sparsity and KL penalties are added to the training loss only (validation losses are the
 * reconstruction alone).
 *
 * Usage: `import { PCA, LDA, MinMaxScaler, addNoise, noisePercent, trainGreedyLayerwise } from '../dist/lib/unsupervised';`
 */
export * from './matrix';
export * from './pca';
export * from './lda';
export * from './scalers';
export * from './noise';
export * from './greedy';
export * from './anomaly';
export * from './early-stopping-fit';
export * from './feature-experiment';
