/**
 * The Keras-parity training toolkit: compile/fit/evaluate/predict, callbacks (CallbackList,
 * EpochTimer, EarlyStopping...), progress, summary, saving, losses, freeze/unfreeze; and, re-exported
 * from lib/optim, the Keras optimisers, schedules and learning-rate helpers.
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
export * from './losses';
export * from './progress';
export * from './saving';
export * from './summary';
export * from './transfer';
// The optimisers, schedules and learning-rate helpers live in lib/optim; re-exported here so that
// `import { Adam } from '../dist/lib/train'` keeps working.
export * from '../optim';
export * from './usable';
