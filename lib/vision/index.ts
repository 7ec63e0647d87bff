/**
 * Convolution by hand: grids, 2-D convolution (scipy modes and boundaries), Sobel / mean /
 * unsharp filters, convolution as a matrix product, pooling, conv arithmetic, synthetic images.
 *
 * Usage: `import { syntheticScene, sobelGradients, convLayerCost } from '../dist/lib/vision';`
 */
export * from './grid';
export * from './convolve';
export * from './filters';
export * from './conv-matrix';
export * from './pooling';
export * from './arithmetic';
export * from './scene';
export * from './photo';
