/**
 * The Keras-parity training toolkit: compile/fit/evaluate/predict, callbacks, progress,
 * summary, saving, learning-rate helpers, losses, and the Keras optimisers and schedules.
 *
 * Usage:
 *   import { compile, fit, evaluate, summary, EarlyStopping } from '../dist/lib/train';
 *   compile(model, { optimizer: 'sgd', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
 *   const history = await fit(model, x, y, { epochs: 10, validationSplit: 0.1, callbacks: [new EarlyStopping({ patience: 3 })] });
 */
export * from './callbacks';
export * from './compile';
export * from './fit';
export * from './history';
export * from './learning-rate';
export * from './losses';
export * from './optimizers';
export * from './progress';
export * from './saving';
export * from './schedules';
export * from './summary';
export * from './transfer';
export * from './usable';
