/**
 * 2-D embeddings (codings, PCA, LDA, t-SNE) as scatter plots: one trace per class, and the
 * seed's version with image thumbnails on well-separated points (seed 001, `plot_components`).
 *
 * Usage:
 *   showFigure(scatterByClass(pca2d, labels, classNames, { title: 'PCA of the codings' }));
 *   showFigure(scatterWithThumbnails(lda2d, xValid, { labels, classNames, thumbFrac: 0.05 }));
 */
import { asBatch, tilePngs, pngDataUri, type ColorMap, type ImageShape, type ImageSource, type Normalize } from '../images';
import { colorAt, toLabels, toPoints, type NumberSource, type PointsSource } from './data';
import type { Figure, LayoutImage, ScatterTrace } from './types';

/** Options for `scatterByClass`. */
export interface ScatterOptions {
  title: string;
  xTitle?: string;
  yTitle?: string;
  /** Marker size in pixels (default 5, like the seed's s=10 in points squared). */
  markerSize?: number;
  height?: number;
  width?: number;
}

function classTraces(xs: number[], ys: number[], labels: number[], classNames: readonly string[], markerSize: number): ScatterTrace[] {
  const traces: ScatterTrace[] = [];
  classNames.forEach((name, c) => {
    const x: number[] = [];
    const y: number[] = [];
    labels.forEach((l, i) => {
      if (l === c) {
        x.push(xs[i]);
        y.push(ys[i]);
      }
    });
    if (x.length === 0) return; // a class with no points has no trace (and no legend entry)
    traces.push({ type: 'scatter', mode: 'markers', name, x, y, marker: { color: colorAt(c), size: markerSize } });
  });
  return traces;
}

function checkClassNames(classNames: readonly string[], where: string): void {
  if (classNames.length === 0) throw new Error(`${where}: no class names; pass one name per class (e.g. the dataset's classNames).`);
  const seen = new Set<string>();
  for (const n of classNames) {
    if (seen.has(n)) throw new Error(`${where}: class name '${n}' appears twice; class names must be unique.`);
    seen.add(n);
  }
}

/**
 * 2-D points coloured by class, one trace per class so the legend names the classes
 * (the seed's `plt.scatter(..., c=t_valid, cmap='tab10')` with a class-name colour bar).
 * Usage: `scatterByClass(points, labels, ['T-shirt/top', 'Trouser', ...], { title: 'LDA' })`
 */
export function scatterByClass(points: PointsSource, labels: NumberSource, classNames: readonly string[], options: ScatterOptions): Figure {
  checkClassNames(classNames, 'scatterByClass');
  const [xs, ys] = toPoints(points, 'scatterByClass points');
  const ls = toLabels(labels, classNames.length, 'scatterByClass labels');
  if (ls.length !== xs.length) throw new Error(`scatterByClass: ${xs.length} points but ${ls.length} labels; give one label per point.`);
  if (xs.length === 0) throw new Error('scatterByClass: no points given.');
  return {
    data: classTraces(xs, ys, ls, classNames, options.markerSize ?? 5),
    layout: {
      title: { text: options.title },
      xaxis: { title: { text: options.xTitle ?? 'component 1' } },
      yaxis: { title: { text: options.yTitle ?? 'component 2' } },
      legend: { title: { text: 'class' } },
      height: options.height ?? 600,
      ...(options.width === undefined ? {} : { width: options.width }),
      hovermode: 'closest',
    },
  };
}

/**
 * The seed's thumbnail selection: walk the points in order and keep one when its squared distance
 * to every kept point is at least (thumbFrac * largest axis span)^2.
 * Usage: `selectThumbnails(xs, ys, 0.05) // indices of the points that get a thumbnail`
 */
export function selectThumbnails(xs: readonly number[], ys: readonly number[], thumbFrac: number, max = Infinity): number[] {
  if (!(thumbFrac > 0)) throw new Error(`selectThumbnails: thumbFrac ${thumbFrac} must be > 0 (the seed uses 0.05).`);
  const span = Math.max(spanOf(xs), spanOf(ys));
  const minDist2 = (thumbFrac * span) ** 2;
  const kept: number[] = [];
  for (let i = 0; i < xs.length && kept.length < max; i++) {
    if (!Number.isFinite(xs[i]) || !Number.isFinite(ys[i])) continue;
    let ok = true;
    for (const j of kept) {
      const dx = xs[i] - xs[j];
      const dy = ys[i] - ys[j];
      if (dx * dx + dy * dy < minDist2) {
        ok = false;
        break;
      }
    }
    if (ok) kept.push(i);
  }
  return kept;
}

function spanOf(v: readonly number[]): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of v) {
    if (!Number.isFinite(x)) continue;
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return hi > lo ? hi - lo : 0;
}

/** Options for `scatterWithThumbnails`. */
export interface ThumbnailScatterOptions extends Partial<ScatterOptions> {
  /** Height, width, channels of each image, needed when `images` is a flat array (e.g. { height: 28, width: 28 }). */
  imageShape?: ImageShape;
  /** Class of each point (colours the markers); needs `classNames`. */
  labels?: NumberSource;
  classNames?: readonly string[];
  /** Minimum distance between thumbnails, as a fraction of the largest axis span (default 0.05). */
  thumbFrac?: number;
  /** Thumbnail colour map (default 'binary', as the seed). */
  cmap?: ColorMap;
  normalize?: Normalize;
  /** At most this many thumbnails (default 300, keeps the notebook small). */
  maxThumbnails?: number;
}

/**
 * A scatter of 2-D points with small images drawn on a subset of well-separated points (the
 * seed's `plot_components` with AnnotationBbox thumbnails). Thumbnails are PNG data URIs in
 * `layout.images`, sized thumbFrac of each axis span.
 * Usage: `scatterWithThumbnails(proj, xValid.slice([0, 0, 0], [1000, 28, 28]), { labels, classNames, title: 'LDA with thumbnails' })`
 */
export function scatterWithThumbnails(points: PointsSource, images: ImageSource | readonly ImageSource[], options: ThumbnailScatterOptions = {}): Figure {
  const [xs, ys] = toPoints(points, 'scatterWithThumbnails points');
  if (xs.length === 0) throw new Error('scatterWithThumbnails: no points given.');
  const batch = asBatch(images, options.imageShape ?? {});
  if (batch.count !== xs.length) {
    throw new Error(`scatterWithThumbnails: ${xs.length} points but ${batch.count} images; give one image per point (flattened images need imageShape, e.g. { height: 28, width: 28 }).`);
  }
  const title = options.title ?? '2-D projection with thumbnails';
  const markerSize = options.markerSize ?? 5;
  let data: ScatterTrace[];
  if (options.labels !== undefined) {
    if (options.classNames === undefined) throw new Error('scatterWithThumbnails: labels were given without classNames; pass both (one name per class).');
    checkClassNames(options.classNames, 'scatterWithThumbnails');
    const ls = toLabels(options.labels, options.classNames.length, 'scatterWithThumbnails labels');
    if (ls.length !== xs.length) throw new Error(`scatterWithThumbnails: ${xs.length} points but ${ls.length} labels; give one label per point.`);
    data = classTraces(xs, ys, ls, options.classNames, markerSize);
  } else {
    data = [{ type: 'scatter', mode: 'markers', name: 'points', x: xs, y: ys, marker: { color: 'black', size: markerSize }, showlegend: false }];
  }
  const thumbFrac = options.thumbFrac ?? 0.05;
  const chosen = selectThumbnails(xs, ys, thumbFrac, options.maxThumbnails ?? 300);
  const pngs = tilePngs(batch, { indices: chosen, cmap: options.cmap ?? 'binary', normalize: options.normalize ?? 'auto' });
  const sizex = thumbFrac * (spanOf(xs) || 1);
  const sizey = thumbFrac * (spanOf(ys) || 1);
  const layoutImages: LayoutImage[] = chosen.map((i, k) => ({
    source: pngDataUri(pngs[k]),
    xref: 'x',
    yref: 'y',
    x: xs[i],
    y: ys[i],
    sizex,
    sizey,
    xanchor: 'center',
    yanchor: 'middle',
    sizing: 'contain',
    layer: 'above',
  }));
  const size = options.height ?? 750;
  return {
    data,
    layout: {
      title: { text: title },
      xaxis: { title: { text: options.xTitle ?? 'component 1' } },
      yaxis: { title: { text: options.yTitle ?? 'component 2' } },
      images: layoutImages,
      height: size,
      // Roughly square plot area: the class legend takes about 180 px on the right.
      width: options.width ?? size + (options.labels !== undefined ? 180 : 0),
      hovermode: 'closest',
      ...(options.labels !== undefined ? { legend: { title: { text: 'class' } } } : {}),
    },
  };
}
