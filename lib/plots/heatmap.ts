/**
 * Confusion matrices as heatmaps with the counts written in the cells.
 *
 * Usage:
 *   showFigure(confusionMatrixHeatmap(cm, classNames, { title: 'Test set' }));
 */
import * as tf from '@tensorflow/tfjs';
import type { Annotation, Figure } from './types';

/** matplotlib's 'Blues' (ColorBrewer), light for 0 to dark for the maximum; plotly's own 'Blues' runs the other way. */
export const BLUES: Array<[number, string]> = ['#f7fbff', '#deebf7', '#c6dbef', '#9ecae1', '#6baed6', '#4292c6', '#2171b5', '#08519c', '#08306b'].map(
  (c, i, all): [number, string] => [i / (all.length - 1), c],
);

/** A square matrix: rows of numbers, or a rank-2 tensor (read, not disposed). */
export type MatrixLike = ReadonlyArray<readonly number[]> | tf.Tensor;

function readSquare(matrix: MatrixLike, n: number): number[][] {
  let rows: number[][];
  if (matrix instanceof tf.Tensor) {
    if (matrix.rank !== 2) throw new Error(`confusionMatrixHeatmap: expected a rank-2 matrix, got shape [${matrix.shape.join(', ')}].`);
    rows = matrix.arraySync() as number[][];
  } else {
    rows = matrix.map((r) => Array.from(r));
  }
  if (rows.length !== n || rows.some((r) => r.length !== n)) {
    throw new Error(`confusionMatrixHeatmap: the matrix must be ${n}x${n} (one row and column per class name); got ${rows.length} rows of lengths ${[...new Set(rows.map((r) => r.length))].join('/')}.`);
  }
  return rows;
}

/** Options for `confusionMatrixHeatmap`. */
export interface ConfusionOptions {
  title?: string;
  /** Show each row as fractions of its total (recall per class) instead of counts. */
  normalize?: boolean;
  /** Decimals for normalised values (default 2). */
  digits?: number;
  height?: number;
}

/**
 * A confusion matrix (rows: true class, columns: predicted class, row 0 at the top, like
 * sklearn's display) with each cell's count as a text annotation, white on dark cells.
 * Usage: `confusionMatrixHeatmap([[50, 2], [3, 45]], ['cat', 'dog'])`
 */
export function confusionMatrixHeatmap(matrix: MatrixLike, classNames: readonly string[], options: ConfusionOptions = {}): Figure {
  const n = classNames.length;
  if (n === 0) throw new Error('confusionMatrixHeatmap: no class names; pass one name per class.');
  if (new Set(classNames).size !== n) throw new Error('confusionMatrixHeatmap: class names must be unique (they label the axes).');
  const counts = readSquare(matrix, n);
  const z = options.normalize
    ? counts.map((r) => {
        const total = r.reduce((a, b) => a + b, 0);
        return r.map((v) => (total > 0 ? v / total : 0));
      })
    : counts;
  const digits = options.digits ?? 2;
  const max = Math.max(...z.flat());
  const annotations: Annotation[] = [];
  z.forEach((row, i) =>
    row.forEach((v, j) => {
      annotations.push({
        x: classNames[j],
        y: classNames[i],
        text: options.normalize ? v.toFixed(digits) : String(v),
        showarrow: false,
        font: { color: max > 0 && v > max / 2 ? 'white' : 'black', size: n > 12 ? 9 : 12 },
      });
    }),
  );
  const size = options.height ?? Math.max(420, 120 + 45 * n);
  return {
    data: [{ type: 'heatmap', z, x: [...classNames], y: [...classNames], colorscale: BLUES, showscale: true, zmin: 0, name: 'confusion matrix', hovertemplate: 'true %{y}<br>predicted %{x}<br>%{z}<extra></extra>' }],
    layout: {
      title: { text: options.title ?? 'Confusion matrix' },
      xaxis: { title: { text: 'predicted' }, type: 'category', side: 'bottom' },
      yaxis: { title: { text: 'true' }, type: 'category', autorange: 'reversed' },
      annotations,
      height: size,
      width: size + 140,
      margin: { l: 120, b: 120 },
    },
  };
}
