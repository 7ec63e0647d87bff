/**
 * Images for the course: PNG grids, captioned HTML tiles, image rows, weight tiles and
 * feature maps, from tensors or typed arrays.
 *
 * Usage:
 *   import { showImageGrid, showImageRows, gridPng } from '../dist/lib/images';
 *   showImageGrid(xTrain.slice([0, 0, 0], [10, 28, 28]), { scale: 2, titles });
 */
export * from './batch';
export * from './normalize';
export * from './png';
export * from './grid';
export * from './html';
export * from './weights';
