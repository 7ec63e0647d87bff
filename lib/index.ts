/**
 * The course library in one import. Each area also has its own entry point
 * (`../dist/lib/train`, `../dist/lib/data`, ...), which notebooks usually use.
 *
 * Usage: `import { initBackend, loadFashionMnist, compile, fit, showFigure } from '../dist/lib';`
 */
export * from './backend';
export * from './random';
export * from './profile';
export * from './display';
export * from './data';
export * from './train';
export * from './layers';
export * from './metrics';
export * from './plots';
export * from './images';
export * from './vision';
export * from './models';
export * from './rnn';
export * from './unsupervised';
export * from './deep';
export { registerMissingWasmKernels, wasmKernelStatus } from './backend/kernels';
export * from './tabular';
