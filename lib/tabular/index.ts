/**
 * Tabular data helpers on danfo DataFrames (notebook 11): summaries, imputation, one-hot
 * encoding, a seeded train/test split, scaling, tensors and back, and HTML display.
 *
 * Usage: `import { describeFrame, SimpleImputer, trainTestSplit, scaleFrame, showDataFrame } from '../dist/lib/tabular';`
 */
export * from './frame';
export * from './describe';
export * from './impute';
export * from './encode';
export * from './split';
export * from './scale';
export * from './html';
