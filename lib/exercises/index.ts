/**
 * Exercise checks: one file per notebook (`nbNN.ts`, each exporting `checkNN_K` functions and
 * `EXERCISES_NN`, the ids it checks), on the shared machinery in `check.ts`. Add one
 * `export * from './nbNN';` line per notebook here (the grader finds `EXERCISES_NN` through
 * `registry.ts` even before that line exists).
 *
 * Usage (in a notebook's check cell): `import { check01_3 } from '../dist/lib/exercises'; await check01_3({ params: params });`
 */
export * from './check';
export * from './registry';
export * from './model-answers';
export * from './nb00';
export * from './nb01';
export * from './nb02';
export * from './nb03';
export * from './nb04';
export * from './nb05';
export * from './nb06';
export * from './nb07';
export * from './nb08';
export * from './nb09';
export * from './nb10';
export * from './nb11';
export * from './nb12';
