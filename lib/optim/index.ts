/**
 * Keras-exact optimisers (`SGD`, `Adam`, `Nadam`, `Adadelta`, ...) and `optimizerFromName`,
 * the `KerasOptimizer` wrapper (schedules, clipping), learning-rate schedules, and the one place
 * that reads and writes an optimiser's learning rate.
 *
 * Usage: `import { Adam, ExponentialDecay, getLearningRate } from '../dist/lib/optim';`
 */
export * from './keras-optimizer';
export * from './optimizers';
export * from './nadam';
export * from './adadelta';
export * from './slots';
export * from './schedules';
export * from './learning-rate';
