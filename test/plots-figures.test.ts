import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  TAB10,
  barChart,
  binCounts,
  binEdges,
  confusionMatrixHeatmap,
  formatValue,
  histogram,
  learningCurves,
  lineChart,
  scatterByClass,
  scatterWithThumbnails,
  selectThumbnails,
  type BarTrace,
  type HeatmapTrace,
  type ScatterTrace,
} from '../lib/plots';
import { decodePng } from '../lib/images';

const scatter = (t: unknown) => t as ScatterTrace;

describe('learningCurves', () => {
  const history = {
    history: { loss: [0.9, 0.6, 0.5], accuracy: [0.7, 0.8, 0.85], val_loss: [0.7, 0.55, 0.52], val_accuracy: [0.75, 0.81, 0.84] },
  };

  it("draws the seed's four curves against epochs 1..n with y in [0, 1]", () => {
    const fig = learningCurves(history);
    expect(fig.data.map((t) => t.name)).toEqual(['loss', 'accuracy', 'val_loss', 'val_accuracy']);
    expect(scatter(fig.data[0]).x).toEqual([1, 2, 3]);
    expect(scatter(fig.data[2]).y).toEqual([0.7, 0.55, 0.52]);
    // The seed's styles '-r', '--b', '-og', '-.k'.
    expect(fig.data.map((t) => [scatter(t).line?.color, scatter(t).line?.dash, scatter(t).mode])).toEqual([
      ['red', 'solid', 'lines'],
      ['blue', 'dash', 'lines'],
      ['green', 'solid', 'lines+markers'],
      ['black', 'dashdot', 'lines'],
    ]);
    expect(fig.layout.yaxis?.range).toEqual([0, 1]);
    expect(fig.layout.xaxis?.title?.text).toBe('epoch');
    expect(fig.layout.title?.text).toBe('Learning curves');
  });

  it('fits the axis when a loss passes 1: losses on the left, accuracies 0..1 on a second axis on the right', () => {
    const fig = learningCurves({ history: { loss: [2.3, 1.4, 0.9], accuracy: [0.2, 0.5, 0.7], val_loss: [1.9, 1.2, 0.95], val_accuracy: [0.3, 0.55, 0.68] } });
    const [lo, hi] = fig.layout.yaxis?.range ?? [NaN, NaN];
    expect(lo).toBe(0);
    expect(hi).toBeGreaterThanOrEqual(2.3);
    expect(hi).toBeLessThan(2.6);
    expect(fig.layout.yaxis?.title?.text).toBe('loss');
    expect(fig.layout.yaxis2).toMatchObject({ range: [0, 1], overlaying: 'y', side: 'right', title: { text: 'accuracy' } });
    expect(fig.data.map((t) => scatter(t).yaxis ?? 'y')).toEqual(['y', 'y2', 'y', 'y2']);
    // A regression history (no accuracy): one axis fitted to the losses.
    const mse = learningCurves({ history: { loss: [4.2, 1.1], val_loss: [3.0, 1.3], mae: [1.6, 0.8] } });
    expect(mse.layout.yaxis2).toBeUndefined();
    expect(mse.layout.yaxis?.range?.[0]).toBe(0);
    expect(mse.layout.yaxis?.range?.[1]).toBeGreaterThanOrEqual(4.2);
    // An explicit range is kept.
    expect(learningCurves({ history: { loss: [4.2] } }, { yRange: [0, 1] }).layout.yaxis?.range).toEqual([0, 1]);
  });

  it('numbers epochs from History.epoch when given (a resumed training)', () => {
    const fig = learningCurves({ history: { loss: [0.5, 0.4] }, epoch: [10, 11] });
    expect(scatter(fig.data[0]).x).toEqual([11, 12]);
  });

  it('selects keys, fits y on request, and names a missing metric', () => {
    const fig = learningCurves(history, { keys: ['val_loss'], yRange: 'auto', title: 'Validation loss' });
    expect(fig.data.length).toBe(1);
    expect(fig.layout.yaxis?.range).toBeUndefined();
    expect(() => learningCurves(history, { keys: ['mae'] })).toThrow(/no metric 'mae' in the history; it has loss, accuracy, val_loss, val_accuracy/);
    expect(() => learningCurves({ history: {} })).toThrow(/no metrics/);
  });
});

describe('lineChart', () => {
  it('draws named series with default x, tensors and log axes', () => {
    const y = tf.tensor1d([1, 0.1, 0.01]);
    const fig = lineChart([{ name: 'exponential', y }, { name: 'constant', x: [0, 5, 10], y: [0.1, 0.1, 0.1], dash: 'dot' }], {
      title: 'Schedules',
      xTitle: 'epoch',
      yTitle: 'learning rate',
      logY: true,
    });
    y.dispose();
    expect(scatter(fig.data[0]).x).toEqual([0, 1, 2]);
    expect(scatter(fig.data[0]).y.map((v) => Number(v.toFixed(6)))).toEqual([1, 0.1, 0.01]);
    expect(scatter(fig.data[1]).line?.dash).toBe('dot');
    expect(scatter(fig.data[1]).line?.color).toBe(TAB10[1]);
    expect(fig.layout.yaxis?.type).toBe('log');
    expect(fig.layout.xaxis?.type).toBe('linear');
    expect(fig.layout.showlegend).toBe(true);
    expect(() => lineChart([{ name: 'bad', x: [0, 1], y: [1] }], { title: 't', xTitle: 'x', yTitle: 'y' })).toThrow(
      /series 'bad' has 2 x values and 1 y values/,
    );
  });
});

describe('scatterByClass', () => {
  it('makes one trace per class, named, in tab10 colours', () => {
    const points = [[0, 0], [1, 1], [2, 2], [3, 3], [4, 4]];
    const fig = scatterByClass(points, [2, 0, 2, 0, 2], ['zero', 'one', 'two'], { title: 'PCA' });
    // class 'one' has no points, so no trace.
    expect(fig.data.map((t) => t.name)).toEqual(['zero', 'two']);
    expect(scatter(fig.data[0]).x).toEqual([1, 3]);
    expect(scatter(fig.data[1]).y).toEqual([0, 2, 4]);
    expect(scatter(fig.data[1]).marker?.color).toBe(TAB10[2]);
    expect(fig.layout.legend?.title?.text).toBe('class');
  });

  it('reads an [n, 2] tensor and rejects mismatches', () => {
    const pts = tf.tensor2d([[0, 1], [2, 3]]);
    const fig = scatterByClass(pts, tf.tensor1d([1, 0], 'int32'), ['a', 'b'], { title: 't' });
    expect(scatter(fig.data[0]).x).toEqual([2]);
    expect(() => scatterByClass(pts, [0], ['a', 'b'], { title: 't' })).toThrow(/2 points but 1 labels/);
    expect(() => scatterByClass(pts, [0, 5], ['a', 'b'], { title: 't' })).toThrow(/label 5 at index 1 is not a class index in 0..1/);
    expect(() => scatterByClass(pts, [0, 1], ['a', 'a'], { title: 't' })).toThrow(/'a' appears twice/);
    const pts3 = tf.zeros([2, 3]);
    expect(() => scatterByClass(pts3, [0, 1], ['a', 'b'], { title: 't' })).toThrow(/expected an \[n, 2\] tensor/);
    tf.dispose([pts, pts3]);
  });
});

describe('selectThumbnails / scatterWithThumbnails', () => {
  it("keeps points at least thumbFrac * span apart, in order (the seed's rule)", () => {
    // span 10, thumbFrac 0.1 -> min distance 1.
    const xs = [0, 0.5, 1, 1.2, 10, 9.5, 5];
    const ys = [0, 0, 0, 0, 0, 0, 0];
    expect(selectThumbnails(xs, ys, 0.1)).toEqual([0, 2, 4, 6]);
    expect(selectThumbnails(xs, ys, 0.1, 2)).toEqual([0, 2]);
  });

  it('puts a PNG data-URI image on each selected point, sized thumbFrac of each span', () => {
    const n = 6;
    const points = Array.from({ length: n }, (_, i) => [i * 2, i % 2 === 0 ? 0 : 1]);
    const images = new Float32Array(n * 4).map((_, i) => (i % 4 === 0 ? 1 : 0)); // 2x2, top-left white
    const fig = scatterWithThumbnails(points, images, { imageShape: { height: 2, width: 2 }, labels: [0, 1, 0, 1, 0, 1], classNames: ['even', 'odd'], thumbFrac: 0.1, cmap: 'gray' });
    expect(fig.data.map((t) => t.name)).toEqual(['even', 'odd']);
    const imgs = fig.layout.images ?? [];
    expect(imgs.length).toBe(6); // min distance 1 (span 10): all points are >= 2 apart
    expect([fig.layout.width, fig.layout.height]).toEqual([930, 750]); // the plot size (+ legend), not the image size
    expect(imgs[3]).toMatchObject({ x: 6, y: 1, xref: 'x', yref: 'y', sizex: 1, sizey: 0.1, xanchor: 'center', yanchor: 'middle' });
    const png = decodePng(new Uint8Array(Buffer.from(imgs[0].source.replace('data:image/png;base64,', ''), 'base64')));
    expect([png.width, png.height, png.rgba[0], png.rgba[4]]).toEqual([2, 2, 255, 0]);
    expect(() => scatterWithThumbnails(points, images.subarray(0, 8), { imageShape: { height: 2, width: 2 } })).toThrow(/6 points but 2 images/);
    expect(() => scatterWithThumbnails(points, images, { imageShape: { height: 2, width: 2 }, labels: [0, 1, 0, 1, 0, 1] })).toThrow(/without classNames/);
  });

  it('draws a single black trace without labels and limits the thumbnails', () => {
    const points = Array.from({ length: 50 }, (_, i) => [i, i]);
    const fig = scatterWithThumbnails(points, new Uint8Array(50 * 9), { imageShape: { height: 3, width: 3 }, maxThumbnails: 7 });
    expect(fig.data.length).toBe(1);
    expect(scatter(fig.data[0]).marker?.color).toBe('black');
    expect(fig.layout.images?.length).toBe(7);
    expect([fig.layout.width, fig.layout.height]).toEqual([750, 750]); // no legend: square
  });
});

describe('confusionMatrixHeatmap', () => {
  it('draws rows as true classes (top to bottom) with one count annotation per cell', () => {
    const cm = [[50, 2, 0], [3, 45, 1], [0, 4, 60]];
    const fig = confusionMatrixHeatmap(cm, ['cat', 'dog', 'fox']);
    const trace = fig.data[0] as HeatmapTrace;
    expect(trace.z).toEqual(cm);
    expect(trace.x).toEqual(['cat', 'dog', 'fox']);
    expect(fig.layout.yaxis?.autorange).toBe('reversed');
    expect(fig.layout.xaxis?.title?.text).toBe('predicted');
    // light for 0, dark for the maximum, as matplotlib's Blues
    expect(trace.colorscale?.[0]).toEqual([0, '#f7fbff']);
    expect(trace.colorscale?.[8]).toEqual([1, '#08306b']);
    const ann = fig.layout.annotations ?? [];
    expect(ann.length).toBe(9);
    expect(ann.find((a) => a.x === 'dog' && a.y === 'fox')?.text).toBe('4');
    // white text on dark cells (above half the maximum 60), black elsewhere
    expect(ann.find((a) => a.x === 'fox' && a.y === 'fox')?.font?.color).toBe('white');
    expect(ann.find((a) => a.x === 'cat' && a.y === 'dog')?.font?.color).toBe('black');
  });

  it('normalises rows on request, reads tensors, rejects a wrong size', () => {
    const cm = tf.tensor2d([[3, 1], [0, 4]]);
    const fig = confusionMatrixHeatmap(cm, ['a', 'b'], { normalize: true });
    expect((fig.data[0] as HeatmapTrace).z).toEqual([[0.75, 0.25], [0, 1]]);
    expect(fig.layout.annotations?.map((a) => a.text)).toEqual(['0.75', '0.25', '0.00', '1.00']);
    expect(() => confusionMatrixHeatmap(cm, ['a', 'b', 'c'])).toThrow(/must be 3x3/);
    cm.dispose();
  });
});

describe('histogram', () => {
  it('bins values into equal-width bins, last bin closed', () => {
    const bins = binEdges([[0, 1, 2, 3, 4]], 4);
    expect(bins).toEqual({ start: 0, end: 4, size: 1, count: 4 });
    expect(binCounts([0, 1, 2, 3, 4, NaN], bins)).toEqual([1, 1, 1, 2]);
  });

  it('overlays several series on shared bins', () => {
    const fig = histogram([{ name: 'none', values: [0, 0, 1, 2] }, { name: 'L1', values: new Float32Array([0, 0, 0, 0]) }], { bins: 2, title: 'weights' });
    const [a, b] = fig.data as BarTrace[];
    expect(a.x).toEqual([0.5, 1.5]);
    expect(a.y).toEqual([2, 2]); // [0, 1) holds 0, 0; [1, 2] holds 1, 2
    expect(b.y).toEqual([4, 0]);
    expect(a.width).toBe(1);
    expect(fig.layout.barmode).toBe('overlay');
    expect(fig.layout.showlegend).toBe(true);
    expect(a.opacity).toBeLessThan(1);
  });

  it('takes a plain array or tensor and rejects all-NaN data', () => {
    const t = tf.tensor1d([1, 1, 1]);
    const fig = histogram(t, { title: 'constant', bins: 1 });
    expect((fig.data[0] as BarTrace).y).toEqual([3]);
    t.dispose();
    expect(() => histogram([NaN], { title: 'x' })).toThrow(/no finite values/);
  });
});

describe('barChart', () => {
  it('draws labelled bars with formatted values', () => {
    const fig = barChart(['AlexNet', 'VGG-16'], [62_378_344, 138_357_544], { title: 'Parameters', logY: true });
    const t = fig.data[0] as BarTrace;
    expect(t.x).toEqual(['AlexNet', 'VGG-16']);
    expect(t.text).toEqual(['62,378,344', '138,357,544']);
    expect(fig.layout.yaxis?.type).toBe('log');
    expect(formatValue(0.872345)).toBe('0.8723');
    expect(() => barChart(['a'], [1, 2], { title: 't' })).toThrow(/1 labels but 2 values/);
  });

  it('swaps axes for horizontal bars', () => {
    const fig = barChart(['a', 'b'], [1, 2], { title: 't', horizontal: true, showValues: false });
    const t = fig.data[0] as BarTrace;
    expect([t.x, t.y, t.orientation, t.text]).toEqual([[1, 2], ['a', 'b'], 'h', undefined]);
    expect(fig.layout.yaxis?.autorange).toBe('reversed');
  });
});
