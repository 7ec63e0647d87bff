/**
 * Training deep networks (notebooks 01-03): the seed's MLP and its variants, per-layer gradient
 * norms and output statistics, batch normalisation by hand, comparisons of optimisers /
 * schedules / batch modes, the training-set-size experiment and weight sparsity.
 *
 * Usage: `import { seedMlp, layerGradientNorms, BatchNormByHand, compareVariants } from '../dist/lib/deep';`
 */
export * from './batch-norm';
export * from './gradients';
export * from './compare';
export * from './batch-modes';
export * from './data-size';
export * from './weights';
export * from './mlp';
