// %% [markdown]
// # 00 · Getting started
//
// This course teaches deep learning with **TypeScript**: every notebook runs on the
// [tslab](https://github.com/yunabe/tslab) kernel and trains models with
// [TensorFlow.js](https://www.tensorflow.org/js) through a small typed library, `lib/`,
// that fills the gaps between TensorFlow.js and the Keras API the lectures use.
//
// This notebook checks that everything works: which backend computes, where the data
// comes from, and that tensors, plots and images render. It ends with three short exercises
// that check themselves (section 8).
//
// > **Run the cells in order**, from the top (Cell > Run All; after a kernel restart, Kernel > Restart & Run All): each cell uses what the cells above it defined.

// %% [markdown]
// ## 1 · The backend
//
// TensorFlow.js can compute on several *backends*. `initBackend()` picks the fastest one this
// machine can run, in this order:
//
// | backend | package | when |
// | --- | --- | --- |
// | `tensorflow` (GPU) | `@tensorflow/tfjs-node-gpu` | installed, and a CUDA device loads |
// | `tensorflow` (CPU) | `@tensorflow/tfjs-node` | installed (native TensorFlow) |
// | `wasm` | `@tensorflow/tfjs-backend-wasm` | always installed: WebAssembly with SIMD |
// | `cpu` | `@tensorflow/tfjs` | pure JavaScript, the fallback |
//
// Set `DL_BACKEND=tensorflow|wasm|cpu` before starting Jupyter to force one.

// %%
import * as tf from '@tensorflow/tfjs';
import { initBackend, describeBackend } from '../dist/lib/backend';
import { setGlobalSeed } from '../dist/lib/random';
import { profileName } from '../dist/lib/profile';

const backend = await initBackend();
setGlobalSeed(42);
console.log(describeBackend(backend));
console.log(`Profile: ${profileName()} (COURSE_PROFILE=smoke runs every notebook on tiny sizes)`);

// %% [markdown]
// ## 2 · A tensor
//
// A tensor is an n-dimensional array that lives on the backend. Operations build new tensors;
// `tf.tidy` frees the intermediate ones.

// %%
const x = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
x.print();
const y = tf.tidy(() => x.matMul(x.transpose()).relu());
console.log('x · xᵀ =', y.arraySync(), ' shape', y.shape);
tf.dispose([x, y]);
console.log('tensors alive:', tf.memory().numTensors);

// %% [markdown]
// ## 3 · Where the data comes from
//
// The course never needs the internet when the data is already on the machine. Each loader looks
// in `$TSDL_DATA_DIR`, then system folders (Debian's `dataset-fashion-mnist` package), then
// `data/cache/`, and only then downloads (checked against the sha256 in `data/manifest.json`).

// %%
import { loadFashionMnist, loadMnist, loadHousing, seedSplit, toTensors } from '../dist/lib/data';
import { profileSizes } from '../dist/lib/profile';
import { markdownTable, showMarkdown } from '../dist/lib/display';

const P = profileSizes({
  full: { train: 5000, epochs: 3 },
  smoke: { train: 1000, epochs: 2 },
});
const fashion = await loadFashionMnist();
const digits = await loadMnist();
const housing = await loadHousing();
showMarkdown(markdownTable(['dataset', 'examples', 'source'], [
  ['Fashion-MNIST', (fashion.train.count + fashion.test.count).toLocaleString('en-US'), fashion.source],
  ['MNIST', digits.all.count.toLocaleString('en-US'), digits.source],
  ['California housing', housing.rowCount.toLocaleString('en-US'), housing.source],
]));

// %% [markdown]
// ## 4 · An image grid
//
// Images render as PNG: here the first 20 Fashion-MNIST training images with their class names.

// %%
import { showImageGrid } from '../dist/lib/images';

const first = 20;
showImageGrid(
  { data: fashion.train.images.subarray(0, first * 784), count: first, height: 28, width: 28, channels: 1 },
  { cols: 10, scale: 2, cmap: 'binary', titles: Array.from(fashion.train.labels.subarray(0, first), (l) => fashion.classNames[l]) },
);

// %% [markdown]
// ## 5 · A plot
//
// Plots are [plotly](https://plotly.com/javascript/) figures: interactive in Jupyter and in the
// exported HTML, with no internet needed (the plotly bundle comes from `node_modules`).
// The activation functions the course uses:

// %%
import { lineChart, showFigure, learningCurves, LivePlot } from '../dist/lib/plots';

const zs = Array.from({ length: 101 }, (_, i) => -5 + i * 0.1);
const act = (name: string) => tf.tidy(() => {
  const z = tf.tensor1d(zs);
  const out: Record<string, () => tf.Tensor> = {
    sigmoid: () => tf.sigmoid(z), tanh: () => tf.tanh(z), relu: () => tf.relu(z),
    elu: () => tf.elu(z), selu: () => tf.selu(z), 'leaky relu (0.2)': () => tf.leakyRelu(z, 0.2),
  };
  return Array.from(out[name]().dataSync());
});
showFigure(lineChart(
  ['sigmoid', 'tanh', 'relu', 'leaky relu (0.2)', 'elu', 'selu'].map((name) => ({ name, x: zs, y: act(name) })),
  { title: 'Activation functions', xTitle: 'z', yTitle: 'activation', yRange: [-2, 2] },
));

// %% [markdown]
// ## 6 · A model, its summary and a short training
//
// The library speaks Keras: `summary(model)` prints the Keras table, `compile` and `fit` take
// Keras names (`'sgd'`, `'sparse_categorical_crossentropy'`, `'accuracy'`) and `fit` shows a
// progress line per epoch and returns a `History` with Keras's keys. `LivePlot` redraws one
// chart in place while the model trains.

// %%
import { summary, compile, fit, kerasLayerName } from '../dist/lib/train';

const split = seedSplit(fashion, { train: P.train, val: 500, test: 500 });
const train = toTensors(split.train, { flatten: true });
const val = toTensors(split.val, { flatten: true });
const model = tf.sequential({ layers: [
  tf.layers.dense({ inputShape: [784], units: 100, activation: 'relu' }),
  tf.layers.dense({ units: 10, activation: 'softmax' }),
] });
summary(model);
compile(model, { optimizer: 'sgd', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
const history = await fit(model, train.x, train.y, {
  epochs: P.epochs, batchSize: 32, validationData: [val.x, val.y],
  callbacks: [new LivePlot({ title: 'Training live' })],
});
console.log('history keys:', Object.keys(history.history));

// %%
showFigure(learningCurves(history));

// %% [markdown]
// ## 7 · The other pictures the course draws
//
// A quick gallery of the remaining kinds, on the model just trained: a confusion matrix, a weight
// histogram, a bar chart, hidden-unit weights as images, a 2-D projection scattered by class (plain
// and with thumbnails), rows of images, and feature maps.

// %%
import { confusionMatrixHeatmap, histogram, barChart, scatterByClass, scatterWithThumbnails } from '../dist/lib/plots';
import { showImageRows, showWeightImages, showFeatureMaps } from '../dist/lib/images';
import { confusionMatrix } from '../dist/lib/metrics';
import { PCA } from '../dist/lib/unsupervised';

const predicted = tf.tidy(() => (model.predict(val.x) as tf.Tensor).argMax(-1).dataSync() as Int32Array);
showFigure(confusionMatrixHeatmap(confusionMatrix(split.val.labels, predicted, { numClasses: 10 }), fashion.classNames, { title: 'Validation confusion matrix' }));

const kernel = model.layers[0].getWeights()[0]; // the layer's own variable: not ours to dispose
showFigure(histogram(Array.from(kernel.dataSync()), { title: 'First-layer weights', bins: 50, xTitle: 'weight' }));
showFigure(barChart(model.layers.map((l) => kerasLayerName(l)), model.layers.map((l) => l.countParams()), { title: 'Parameters per layer' }));
showWeightImages(kernel, { height: 28, width: 28, units: 10, scale: 2 });

// %%
const pca = new PCA({ nComponents: 2 }).fit(val.x as tf.Tensor2D);
const projected = pca.transform(val.x as tf.Tensor2D);
showFigure(scatterByClass(projected, split.val.labels, fashion.classNames, { title: 'Validation images, PCA to 2-D' }));
const valImages = val.x.reshape([-1, 28, 28]);
showFigure(scatterWithThumbnails(projected, valImages, { labels: split.val.labels, classNames: fashion.classNames, title: 'The same, with thumbnails', maxThumbnails: 60 }));

// %%
const originals = valImages.slice([0, 0, 0], [8, 28, 28]);
const noisy = tf.tidy(() => originals.add(tf.randomNormal(originals.shape, 0, 0.3)).clipByValue(0, 1));
showImageRows({ original: originals, 'Gaussian noise 0.3': noisy }, { scale: 2, cmap: 'binary' });
// two 3x3 Sobel filters (vertical and horizontal edges) stacked as a [3, 3, 1, 2] conv kernel
const sobel = tf.tidy(() => tf.stack([
  tf.tensor2d([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]),
  tf.tensor2d([[-1, -2, -1], [0, 0, 0], [1, 2, 1]]),
], -1).reshape([3, 3, 1, 2]) as tf.Tensor4D);
const maps = tf.tidy(() => tf.conv2d(originals.slice([0, 0, 0], [1, 28, 28]).reshape([1, 28, 28, 1]) as tf.Tensor4D, sobel, 1, 'same'));
showFeatureMaps(maps, { scale: 3 });

// %%
tf.dispose([train.x, train.y, val.x, val.y, projected, valImages, originals, noisy, sobel, maps]);
model.dispose();
console.log('tensors alive:', tf.memory().numTensors);

// %% [markdown]
// ## 8 · Exercises
//
// Each exercise has a cell for your answer and a cell that checks it. Write your code where it says
// `// your code here`, run the cell, then run the check under it. A check says **passed**, or
// **not yet** with what it found and a hint; it tries your answer on more inputs than the exercise
// shows. Your teacher may grade the same checks with `npm run grade`.

// %%
import { check00_1, check00_2, check00_3 } from '../dist/lib/exercises';

// %% [markdown]
// **Exercise 1 · A tensor of a given shape.** Make `grid`, a tensor of shape `[3, 4]` holding the
// numbers 0 to 11 row by row: `grid[i][j]` is `4 * i + j`. (`tf.range` and `reshape` do it in one line.)

// %%
let grid: tf.Tensor | undefined;
// ### BEGIN SOLUTION
grid = tf.tidy(() => tf.range(0, 12).reshape([3, 4]));
grid.print();
// ### END SOLUTION

// %%
await check00_1({ grid: grid });

// %% [markdown]
// **Exercise 2 · A function on tensors.** Write `standardize(v)`: it takes a 1-D tensor and returns
// `(v - mean) / std`, where `std` is the square root of the mean squared distance to the mean
// (`tf.moments(v)` gives the mean and that variance). For `[2, 4, 4, 4, 5, 5, 7, 9]` it returns
// `[-1.5, -0.5, -0.5, -0.5, 0, 0, 1, 2]`. It must leave no tensor behind but the one it returns:
// wrap its body in `tf.tidy` (section 2). The check calls it on vectors this cell does not show.

// %%
let standardize: ((v: tf.Tensor1D) => tf.Tensor1D) | undefined;
// ### BEGIN SOLUTION
standardize = (v: tf.Tensor1D): tf.Tensor1D => tf.tidy(() => {
  const moments = tf.moments(v);
  return v.sub(moments.mean).div(moments.variance.sqrt()) as tf.Tensor1D;
});
const example = tf.tensor1d([2, 4, 4, 4, 5, 5, 7, 9]);
const standardized = standardize(example);
standardized.print();
tf.dispose([example, standardized]);
// ### END SOLUTION

// %%
await check00_2({ standardize: standardize });

// %% [markdown]
// **Exercise 3 · A model and its parameters.** Build `wider`: section 6's model with 200 hidden
// units instead of 100 (inputs of 784 pixels, a `relu` Dense layer of 200 units, a `softmax` Dense
// layer of 10). Set `widerParams` to its number of parameters, written as arithmetic on the layer
// sizes (each layer's weights plus its biases), then compare it with `summary(wider)`.

// %%
let wider: tf.Sequential | undefined;
let widerParams: number | undefined;
// ### BEGIN SOLUTION
wider = tf.sequential({ layers: [
  tf.layers.dense({ inputShape: [784], units: 200, activation: 'relu' }),
  tf.layers.dense({ units: 10, activation: 'softmax' }),
] });
summary(wider);
widerParams = (784 * 200 + 200) + (200 * 10 + 10);
console.log('widerParams:', widerParams);
// ### END SOLUTION

// %%
await check00_3({ wider: wider, widerParams: widerParams });

// %%
grid?.dispose();
wider?.dispose();
console.log('tensors alive:', tf.memory().numTensors);

// %% [markdown]
// ## Next
//
// Notebook 01 trains the lectures' MLP on all of Fashion-MNIST. Run any notebook headless with
// `npm run course -- --only 01` (add `--profile smoke` for a quick check).
