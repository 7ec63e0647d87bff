/**
 * Plotly figures for the course: typed specs, builders (learning curves, line charts, class
 * scatters, thumbnail scatters, confusion matrices, histograms, bar charts), offline rendering in
 * Jupyter and nbconvert HTML, and a live training chart.
 *
 * Usage:
 *   import { showFigure, learningCurves } from '../dist/lib/plots';
 *   showFigure(learningCurves(history));
 */
export * from './types';
export { TAB10, colorAt, type NumberSource, type PointsSource } from './data';
export * from './render';
export * from './curves';
export * from './scatter';
export * from './heatmap';
export * from './histogram';
export * from './bar';
export * from './live-plot';
