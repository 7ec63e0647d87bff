/**
 * Classification and reconstruction metrics on plain numbers.
 *
 * Usage: `import { accuracy, confusionMatrix, classificationReport, reconstructionError } from '../dist/lib/metrics';`
 */
export { accuracy, confusionMatrix, perClassScores, classificationReport, toClassIds } from './classification';
export type { ClassInput, ClassScores, ClassificationReport } from './classification';
export { reconstructionError, reconstructionErrors, rankByError, BCE_EPSILON } from './reconstruction';
export type { ReconstructionError, ReconstructionMetric, SampleBatch } from './reconstruction';
