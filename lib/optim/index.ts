/**
 * Keras-exact optimisers (`SGD`, `Adam`, `Nadam`, `Adadelta`, ...), `optimizerFromName`,
 * learning-rate schedules and the one place that reads and writes an optimiser's learning rate.
 *
 * Usage: `import { Adam, ExponentialDecay, getLearningRate } from '../dist/lib/optim';`
 */
export * from './learning-rate';
export * from './optimizers';
export * from './schedules';
