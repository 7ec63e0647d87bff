/**
 * The data layer: IDX reader, checked downloads, and the course's data sets (Fashion-MNIST,
 * MNIST, California housing). See data/README.md for sources, licences and the lookup order.
 *
 * Usage: `import { loadFashionMnist, seedSplit, toTensors } from '../dist/lib/data';`
 */
export * from './paths';
export * from './manifest';
export * from './verify';
export * from './download';
export * from './idx';
export * from './locate';
export * from './images';
export * from './classes';
export * from './tensors';
export * from './fashion-mnist';
export * from './mnist';
export * from './danfo';
export * from './housing';
