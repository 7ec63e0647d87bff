// %% [markdown]
// # 04 · Convolutions by hand
//
// Before a CNN *learns* its filters, we apply some classic ones ourselves. This notebook follows
// the convolution sections of lecture 001 ("Why convolution?", "Shared-weight neural networks",
// "Pooling layers and strides", "Memory requirements") and the AlexNet notes of seed 000:
//
// 1. why convolution: what a dense layer on a 224x224x3 image would cost, local receptive fields
//    and translation invariance;
// 2. a 2-D convolution written as plain loops, then the library's version and `tf.conv2d`;
// 3. Sobel edge masks, a 10x10 mean blur and unsharp masking on a real photograph;
// 4. convolution versus cross-correlation (the kernel flip);
// 5. convolution as a matrix product: the seed's 4x4 image and 3x3 kernel, its matrix G built with
//    loops, and the doubly block circulant matrix of the circular convolution;
// 6. max versus average pooling, and strides;
// 7. the output-size formula checked layer by layer on AlexNet;
// 8. the lecture's memory example.
//
// Every convolution here is computed in plain TypeScript numbers (so that each value can be checked
// by hand): first by the loops written below, then by `lib/vision`, which has scipy's modes and
// boundaries, and cross-checked against TensorFlow.js's `tf.conv2d`.
//
// **What it needs.** Notebook 00 (the kernel and the library); no training, no earlier model.
//
// **How long.** Measured on a 2-core machine (README's course table): about 7 s on the `smoke`
// profile, about 10 s on `full`. To switch to the small `smoke` sizes from inside Jupyter, without
// restarting the kernel, run this in a cell before the first code cell (then run the notebook from
// the top):
//
// ```ts
// import { useProfile } from '../dist/lib/profile'; useProfile('smoke');
// ```
//
// Run the cells in order, top to bottom: later cells use the names earlier ones define.

// %%
import * as tf from '@tensorflow/tfjs';
import { initBackend, describeBackend } from '../dist/lib/backend';
import { setGlobalSeed } from '../dist/lib/random';
import { profileSizes } from '../dist/lib/profile';
import { showMarkdown, markdownTable } from '../dist/lib/display';
import { showImageGrid } from '../dist/lib/images';
import { loadFashionMnist } from '../dist/lib/data';
import * as V from '../dist/lib/vision';
import { check04_1, check04_2, check04_3, check04_4, check04_5, check04_6, check04_7 } from '../dist/lib/exercises';

const backend = await initBackend();
setGlobalSeed(42);
console.log(describeBackend(backend));

// The image side: the photograph is 512x512 and is averaged down to sceneSize.
const P = profileSizes({ full: { sceneSize: 256, blurSize: 10 }, smoke: { sceneSize: 128, blurSize: 10 } });
console.log(P);

// %% [markdown]
// ## 1 · Why convolution?
//
// Lecture 001 starts from the cost of a dense layer on an image: a 224x224 colour image flattened is
// a vector of 224·224·3 values, and every unit of a dense layer has one weight per value; the
// flattening also throws away which pixels are neighbours. A convolutional layer answers with two
// ideas:
//
// - **local receptive fields**: each output looks only at a small neighbourhood (3x3 here), because
//   the patterns that matter (edges, corners, textures) are made of nearby pixels: "it doesn't
//   matter if our image of a Spitfire has a tree or cloud or kite in the corner";
// - **translation invariance** (shared weights): the same small filter is applied at every position,
//   so a pattern is detected wherever it appears, with one set of weights for all positions.
//
// The arithmetic, computed:

// %%
{
  const [h, w, c] = [224, 224, 3];
  const inputs = h * w * c;
  const units = 1000;
  const denseWeights = inputs * units + units;
  const conv = V.convLayerCost({ input: [h, w, c], filters: 64, kernel: 3, padding: 'same' });
  showMarkdown(markdownTable(['', 'value'], [
    ['inputs of a flattened 224x224x3 image', inputs.toLocaleString('en-US')],
    [`parameters of a dense layer of ${units} units on it`, denseWeights.toLocaleString('en-US')],
    ['inputs each dense unit looks at', inputs.toLocaleString('en-US')],
    ['parameters of a conv layer of 64 filters 3x3 on it', conv.params.toLocaleString('en-US')],
    ['inputs each conv output looks at (its receptive field 3x3x3)', (3 * 3 * c).toLocaleString('en-US')],
    ['outputs of that conv layer (224x224x64), all sharing 64 filters', (h * w * 64).toLocaleString('en-US')],
  ]));
  console.log(`The dense layer needs ${(denseWeights / conv.params).toFixed(0)}x more parameters than the conv layer, for ${(h * w * 64 / units).toFixed(0)}x fewer outputs.`);
}

// %% [markdown]
// ## 2 · A 2-D convolution, as loops
//
// The lecture's formula, $g * f\,(x, y) = \sum_s \sum_t g(s, t)\, f(x - s, y - t)$, written for the
// positions where the kernel fits inside the image (`'valid'`): slide the kernel, flipped, over the
// image; at each position multiply and add.

// %%
function convolve2dLoops(image: number[][], kernel: number[][]): number[][] {
  const [kh, kw] = [kernel.length, kernel[0].length];
  const out: number[][] = [];
  for (let y = 0; y + kh <= image.length; y++) {
    const row: number[] = [];
    for (let x = 0; x + kw <= image[0].length; x++) {
      let sum = 0;
      for (let s = 0; s < kh; s++) for (let t = 0; t < kw; t++) sum += kernel[kh - 1 - s][kw - 1 - t] * image[y + s][x + t];
      row.push(sum);
    }
    out.push(row);
  }
  return out;
}

{
  const img = [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]];
  const ker = [[1, 0, -1], [2, 0, -2], [1, 0, -1]];
  const ours = convolve2dLoops(img, ker);
  const lib = V.gridToRows(V.convolve2d(V.gridFromRows(img), V.gridFromRows(ker), { mode: 'valid' }));
  // tf.conv2d does not flip (cross-correlation): give it the kernel turned by 180°
  const flipped = ker.map((r) => r.slice().reverse()).reverse();
  const viaTf = tf.tidy(() => tf.conv2d(tf.tensor4d(img.flat(), [1, 4, 4, 1]), tf.tensor4d(flipped.flat(), [3, 3, 1, 1]), 1, 'valid').arraySync() as number[][][][]);
  console.log('loops:          ', JSON.stringify(ours));
  console.log('V.convolve2d:   ', JSON.stringify(lib));
  console.log('tf.conv2d (flipped kernel):', JSON.stringify(viaTf[0].map((r) => r.map((v) => v[0]))));
  // translation invariance: shift the image one column right, the output shifts the same way
  const shifted = img.map((r) => [0, ...r.slice(0, 3)]);
  const outShifted = convolve2dLoops(shifted, ker);
  console.log(`shifting the input one column shifts the output: ${outShifted.every((r, y) => r[1] === ours[y][0]) ? 'yes' : 'no'} (column 1 of the new output = column 0 of the old)`);
}

// %% [markdown]
// The library's `V.convolve2d` is the same loop with scipy's three modes (`'full'`, `'same'`,
// `'valid'`) and boundaries (`'fill'`, `'symm'`, `'wrap'`), on a `Grid` (a row-major
// `Float64Array`), which the rest of the notebook uses on large images.
//
// ## 3 · An image to filter
//
// The lecture uses scikit-image's `data.camera()` photograph, which no installed package provides
// offline. Debian's `python3-scipy` package ships another public-domain photograph, SciPy's
// `ascent` (512x512 grey, the image `scipy.datasets.ascent()` returns; file
// `/usr/lib/python3/dist-packages/scipy/misc/ascent.dat`): `V.findAscentPhoto()` reads it, and
// it is averaged down to `P.sceneSize` pixels a side. Where python3-scipy is not installed,
// `V.syntheticScene` draws a grey scene by code instead (a sky, a house, hills, a checkerboard and a
// striped sign), and the cell says so. The second image is a real photograph of a product: the first
// Fashion-MNIST test image (an ankle boot), upscaled 8x with bilinear interpolation to 224x224.

// %%
const photo = V.findAscentPhoto();
const scene = photo ? V.pool2d(photo, { size: photo.width / P.sceneSize, kind: 'avg' }) : V.syntheticScene({ size: P.sceneSize });
console.log(photo ? `SciPy's ascent photograph (python3-scipy), ${photo.height}x${photo.width}, averaged to ${scene.height}x${scene.width}`
  : 'python3-scipy is not installed (apt-get install python3-scipy): using the synthetic scene instead');
const fm = await loadFashionMnist({ limit: { train: 1, test: 1 } });
const boot28: V.Grid = { height: 28, width: 28, data: Float64Array.from(fm.test.images, (v) => v / 255) };
const boot = V.upscale(boot28, 8);
console.log(`scene ${scene.height}x${scene.width}, range`, V.gridRange(scene));
console.log(`boot ${boot.height}x${boot.width} (${fm.classNames[fm.test.labels[0]]}), from ${fm.source}`);
showImageGrid(V.gridsToBatch([scene]), { titles: [photo ? 'ascent (SciPy)' : 'synthetic scene'], normalize: 'unit' });
showImageGrid(V.gridsToBatch([boot]), { titles: ['Fashion-MNIST test image 0, upscaled 8x'], normalize: 'unit' });

// %% [markdown]
// ## 4 · Sobel edge masks
//
// The seed's two masks:
//
// $$S_v = \begin{bmatrix} -1 & 0 & 1 \\ -2 & 0 & 2 \\ -1 & 0 & 1 \end{bmatrix} \qquad
//   S_h = \begin{bmatrix} -1 & -2 & -1 \\ 0 & 0 & 0 \\ 1 & 2 & 1 \end{bmatrix}$$
//
// $S_v$ differentiates left to right (it lights up *vertical* edges), $S_h$ top to bottom.
// The seed calls `signal.convolve2d(image, mask, boundary='symm', mode='same')`; `V.convolve2d`
// has the same modes (`'full'`, `'same'`, `'valid'`) and boundaries (`'fill'`, `'symm'`, and
// `'wrap'`). With `'symm'` the image is mirrored at its border (… b a | a b c … | … c b), so the
// border does not produce a fake edge.

// %%
showMarkdown(`**S_v**\n\n${V.gridMarkdown(V.SOBEL_VERTICAL)}\n\n**S_h**\n\n${V.gridMarkdown(V.SOBEL_HORIZONTAL)}`);
const sob = V.sobelGradients(scene, { boundary: 'symm' });
showImageGrid(V.gridsToBatch([scene, sob.vertical, sob.horizontal, sob.magnitude]), {
  titles: ['original', 'vertical gradient (S_v)', 'horizontal gradient (S_h)', 'magnitude sqrt(v² + h²)'],
  normalize: 'per-image',
  cols: 2,
});

// %% [markdown]
// What to look for: in the vertical gradient, vertical edges (walls, posts, the sides of figures)
// stand out while horizontal ones (steps, ledges) vanish; the horizontal gradient shows the
// opposite. Both are signed (dark-to-bright gives one sign, bright-to-dark the other), which is why
// mid-grey means "no edge" in these pictures.
//
// **Cross-check with TensorFlow.js.** `tf.conv2d` computes a *cross-correlation* with zero or no
// padding. `V.convolve2dTf` pads with `tf.mirrorPad(…, 'symmetric')`, flips the kernel and calls
// `tf.conv2d`: the two must agree to float32 precision.

// %%
for (const [name, mask] of [['S_v', V.SOBEL_VERTICAL], ['S_h', V.SOBEL_HORIZONTAL]] as const) {
  const byHand = V.convolve2d(scene, mask, { mode: 'same', boundary: 'symm' });
  const byTf = V.convolve2dTf(scene, mask, { mode: 'same', boundary: 'symm' });
  const diff = V.combineGrids(byHand, byTf, (a, b) => Math.abs(a - b));
  console.log(`${name}: max |by hand - tf.conv2d| = ${V.gridRange(diff).max.toExponential(2)} over ${diff.data.length} pixels`);
}
console.log('tensors alive:', tf.memory().numTensors);

// %% [markdown]
// ## 5 · Blur and unsharp masking
//
// The seed's mean filter is a 10x10 mask of 1/100: each output pixel is the average of a
// 10x10 neighbourhood. Unsharp masking adds back the detail the blur removed:
//
// $$\text{sharp} = I + (I - \text{blur}(I))$$
//
// (`V.unsharpMask` has an `amount` for the weight of the detail; the seed's is 1.)

// %%
const unsharp = V.unsharpMask(scene, { size: P.blurSize, amount: 1 });
showImageGrid(V.gridsToBatch([scene, unsharp.blurred, V.clipGrid(unsharp.sharpened, 0, 1)]), {
  titles: ['original', `blurred (${P.blurSize}x${P.blurSize} mean)`, 'sharpened = I + (I - blur), clipped to [0, 1]'],
  normalize: 'unit',
});
const bootSharp = V.unsharpMask(boot, { size: P.blurSize });
const bootEdges = V.sobelGradients(boot);
showImageGrid(V.gridsToBatch([boot, bootSharp.blurred, V.clipGrid(bootSharp.sharpened, 0, 1), V.normalizeGrid(bootEdges.magnitude)]), {
  titles: ['boot', 'blurred', 'sharpened', 'Sobel magnitude'],
  normalize: 'unit',
});
const detailRange = V.gridRange(unsharp.detail);
console.log(`detail I - blur ranges over [${detailRange.min.toFixed(3)}, ${detailRange.max.toFixed(3)}]: zero in flat areas, large at edges`);

// %% [markdown]
// What to look for: the sharpened image overshoots on both sides of every edge (a darker band on the
// dark side, a brighter one on the bright side): that halo is what makes edges look crisper.
//
// ## 6 · Convolution or cross-correlation?
//
// The seed's formula flips the filter:
// $g * f\,(x, y) = \sum_s \sum_t g(s, t)\, f(x - s, y - t)$. A CNN layer (Keras `Conv2D`,
// `tf.conv2d`) does **not** flip: it computes the cross-correlation
// $\sum_s \sum_t g(s, t)\, f(x + s, y + t)$. For a learned filter the difference does not matter
// (the network would simply learn the flipped filter), but for a hand-made one it flips the sign of
// an edge response. A tiny example, where the kernel has a single 1 in its top-left corner:

// %%
const tiny = V.gridFromRows([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
const corner = V.gridFromRows([[1, 0], [0, 0]]);
console.log('convolve2d (flip):    ', V.gridToRows(V.convolve2d(tiny, corner, { mode: 'valid' })));
console.log('correlate2d (no flip):', V.gridToRows(V.correlate2d(tiny, corner, { mode: 'valid' })));
const step = V.gridFromRows(Array.from({ length: 3 }, () => [0, 0, 1, 1]));
console.log('dark-to-bright step, convolve with S_v: ', V.gridToRows(V.convolve2d(step, V.SOBEL_VERTICAL, { mode: 'same', boundary: 'symm' }))[1]);
console.log('dark-to-bright step, correlate with S_v:', V.gridToRows(V.correlate2d(step, V.SOBEL_VERTICAL, { mode: 'same', boundary: 'symm' }))[1]);

// %% [markdown]
// ## 7 · Convolution as a matrix product
//
// A convolution is linear, so it is a matrix: writing $f = \mathrm{vec}(F)$ for the image read row
// by row, $h = G f$. The seed's example is the 4x4 image
// $I = \begin{bmatrix} 1 & 2 & 3 & 4 \\ 5 & 6 & 7 & 8 \\ 9 & 10 & 11 & 12 \\ 13 & 14 & 15 & 16\end{bmatrix}$
// and the kernel $k = \begin{bmatrix} -1 & -2 & -3 \\ -4 & -5 & -6 \\ -7 & -8 & -9 \end{bmatrix}$.
// Only 2x2 positions fit the kernel inside the image ('valid'), so $G$ has 4 rows and 16 columns.
//
// **A typo in the seed.** Its second row of $G$ has 17 entries: one 0 too many at the end. Below is
// the matrix as printed, then ours, built with loops: one row per output pixel, and in it the
// kernel's weights at the columns of the input pixels they multiply.

// %%
/** The seed's G: 'valid' cross-correlation of an H x W image with `kernel`, as a matrix. */
function convolutionMatrixLoops(H: number, W: number, kernel: number[][]): number[][] {
  const [kh, kw] = [kernel.length, kernel[0].length];
  const G: number[][] = [];
  for (let y = 0; y + kh <= H; y++) {
    for (let x = 0; x + kw <= W; x++) {
      const row = new Array<number>(H * W).fill(0); // one row per output pixel (y, x)
      for (let s = 0; s < kh; s++) for (let t = 0; t < kw; t++) row[(y + s) * W + (x + t)] = kernel[s][t];
      G.push(row);
    }
  }
  return G;
}

const I = V.gridFromRows([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]);
const k = V.gridFromRows([[-1, -2, -3], [-4, -5, -6], [-7, -8, -9]]);
console.log('row lengths of the seed\'s G as printed:', V.SEED_G_AS_PRINTED.map((r) => r.length));
const G = V.gridFromRows(convolutionMatrixLoops(4, 4, V.gridToRows(k)));
showMarkdown(`**G** (${G.height}x${G.width}), built by the loops above:\n\n${V.gridMarkdown(G)}`);
const fixed = V.seedGFixed();
console.log('our G equals the seed\'s G with the extra 0 removed:', V.gridToRows(G).join('|') === V.gridToRows(fixed).join('|'));
console.log('and the library\'s V.convolutionMatrix:', V.gridToRows(G).join('|') === V.gridToRows(V.convolutionMatrix(4, 4, k, { mode: 'valid', flip: false })).join('|'));

// %% [markdown]
// Row $r$ of $G$ holds the kernel's 3 rows, each followed by a 0 (the 4th column of the image row it
// skips), shifted by one column per output pixel and by four (one image row) per output row. Now the
// product:

// %%
const h = V.matVec(G, V.vec(I));
const corr = V.correlate2d(I, k, { mode: 'valid' });
const conv = V.convolve2d(I, k, { mode: 'valid' });
const convFlipped = V.convolve2d(I, V.flipKernel(k), { mode: 'valid' });
showMarkdown(markdownTable(['', 'output (2x2, read row by row)'], [
  ['G · vec(I)', Array.from(h).join(', ')],
  ["correlate2d(I, k, 'valid') (what tf.conv2d computes)", Array.from(corr.data).join(', ')],
  ["convolve2d(I, flip(k), 'valid')", Array.from(convFlipped.data).join(', ')],
  ["convolve2d(I, k, 'valid') (true convolution)", Array.from(conv.data).join(', ')],
]));
const viaTf = tf.tidy(() => tf.conv2d(V.gridToTensor(I).reshape([1, 4, 4, 1]) as tf.Tensor4D, V.gridToTensor(k).reshape([3, 3, 1, 1]) as tf.Tensor4D, 1, 'valid').dataSync());
console.log('tf.conv2d(I, k, valid):', Array.from(viaTf));

// %% [markdown]
// So the seed's $G$ computes the **cross-correlation** with $k$ — the CNN convention — which is the
// true convolution with $k$ turned by 180°. The first entry by hand:
// $-(1\cdot1 + 2\cdot2 + 3\cdot3 + 4\cdot5 + 5\cdot6 + 6\cdot7 + 7\cdot9 + 8\cdot10 + 9\cdot11)$, which the
// cell below evaluates next to $G$'s first output.

// %%
console.log(`by hand: ${-(1 * 1 + 2 * 2 + 3 * 3 + 4 * 5 + 5 * 6 + 6 * 7 + 7 * 9 + 8 * 10 + 9 * 11)}; (G · vec(I))[0] = ${h[0]}`);

// %% [markdown]
//
// **Toeplitz or circulant?** $G$ is made of 2x4 blocks; each block is constant along its diagonals
// (a *Toeplitz* matrix), and the blocks themselves repeat along block diagonals: $G$ is *doubly
// block Toeplitz*. It becomes doubly block **circulant** — the name the lecture uses — when the
// convolution is circular (the image wraps around at its borders), because then every row is a
// cyclic shift of the previous one. Built with loops: the output pixel (y, x) of the circular
// ('same', wrapping) convolution takes kernel weight (s, t) from input pixel
// ((y + 1 − s) mod H, (x + 1 − t) mod W), the 1 centring the 3x3 kernel:

// %%
const blocks = [0, 1].map((bi) => [0, 1, 2, 3].map((bj) => V.isToeplitz(V.block(G, bi, bj, 2, 4))));
console.log('each 2x4 block of G is Toeplitz:', blocks);
console.log('block (0,0) = block (1,1):', V.gridToRows(V.block(G, 0, 0, 2, 4)).join('|') === V.gridToRows(V.block(G, 1, 1, 2, 4)).join('|'));

/** The doubly block circulant matrix of the circular convolution of an H x W image (odd kernel). */
function circulantMatrixLoops(H: number, W: number, kernel: number[][]): number[][] {
  const [kh, kw] = [kernel.length, kernel[0].length];
  const [cy, cx] = [(kh - 1) / 2, (kw - 1) / 2];
  const mod = (i: number, n: number): number => ((i % n) + n) % n;
  const C: number[][] = [];
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const row = new Array<number>(H * W).fill(0);
      for (let s = 0; s < kh; s++) for (let t = 0; t < kw; t++) row[mod(y + cy - s, H) * W + mod(x + cx - t, W)] += kernel[s][t];
      C.push(row);
    }
  }
  return C;
}

const C = V.gridFromRows(circulantMatrixLoops(4, 4, V.gridToRows(k)));
console.log('equal to the library\'s V.convolutionMatrix(..., { mode: \'same\', boundary: \'wrap\', flip: true }):',
  V.gridToRows(C).join('|') === V.gridToRows(V.convolutionMatrix(4, 4, k, { mode: 'same', boundary: 'wrap', flip: true })).join('|'));
{
  // every row of C is row 0 shifted circularly, in 2-D, by the output pixel's (y, x)
  const rowsC = V.gridToRows(C);
  const shifted = (y: number, x: number): number[] => rowsC[0].map((_, c) => {
    const [i, j] = [Math.floor(c / 4), c % 4];
    return rowsC[0][((i - y + 4) % 4) * 4 + ((j - x + 4) % 4)];
  });
  console.log('every row of C is row 0 shifted circularly by its output pixel:', rowsC.every((r, n) => r.join() === shifted(Math.floor(n / 4), n % 4).join()));
}
showMarkdown(`**Circular convolution** of the 4x4 image: a 16x16 doubly block circulant matrix (blocks of 4x4)\n\n${V.gridMarkdown(C)}`);
const circ = V.convolve2d(I, k, { mode: 'same', boundary: 'wrap' });
console.log('C · vec(I) equals convolve2d(I, k, same, wrap):', Array.from(V.matVec(C, V.vec(I))).join() === Array.from(circ.data).join());

// %% [markdown]
// This is the link to neural networks: a convolutional layer is a dense layer whose weight matrix
// is forced to be this sparse, repeated pattern — 9 shared weights instead of 4 x 16 = 64 free ones
// (for a 256x256 image, 9 instead of $(256 \cdot 256)^2$, printed below). That is the lecture's
// "shared-weight neural network".

// %%
console.log(`a dense map from a 256x256 image to a 256x256 image: ${((256 * 256) ** 2).toExponential(2)} weights; a 3x3 convolution: 9`);

// %% [markdown]
// ## 8 · Pooling and strides
//
// Downsampling by 2 keeps one value per 2x2 block. **Max pooling** keeps the largest, **average
// pooling** the mean; a **strided convolution** computes the filter only at every s-th position.

// %%
const fmap = V.gridFromRows([[1, 3, 2, 0], [5, 2, 1, 1], [0, 0, 4, 8], [2, 6, 0, 0]]);
showMarkdown([
  `**feature map**\n\n${V.gridMarkdown(fmap)}`,
  `**max pool 2x2, stride 2**\n\n${V.gridMarkdown(V.pool2d(fmap, { size: 2, kind: 'max' }))}`,
  `**average pool 2x2, stride 2**\n\n${V.gridMarkdown(V.pool2d(fmap, { size: 2, kind: 'avg' }))}`,
  `**max pool 3x3, stride 1 (overlapping windows)**\n\n${V.gridMarkdown(V.pool2d(fmap, { size: 3, stride: 1 }))}`,
].join('\n\n'));
// tfjs agrees:
const tfPool = tf.tidy(() => {
  const x = V.gridToTensor(fmap).reshape([1, 4, 4, 1]) as tf.Tensor4D;
  return [tf.maxPool(x, 2, 2, 'valid').dataSync(), tf.avgPool(x, 2, 2, 'valid').dataSync()].map((a) => Array.from(a));
});
console.log('tf.maxPool:', tfPool[0], ' tf.avgPool:', tfPool[1]);

// %% [markdown]
// On the edge map of the image: max pooling should keep thin edges bright (a strong response
// anywhere in the window survives), average pooling dilute them, and a stride-2 convolution simply
// skips every other position. The printed means say whether that holds here.

// %%
const mag = V.normalizeGrid(sob.magnitude);
const maxP = V.pool2d(mag, { size: 2, kind: 'max' });
const avgP = V.pool2d(mag, { size: 2, kind: 'avg' });
const strided = V.normalizeGrid(V.subsample(V.sobelGradients(scene).magnitude, 2));
showImageGrid(V.gridsToBatch([maxP, avgP, strided]), {
  titles: [`max pool 2x2 (${maxP.height}x${maxP.width})`, 'average pool 2x2', 'Sobel with stride 2'],
  normalize: 'unit',
  scale: 2,
});
const mean = (g: V.Grid): number => g.data.reduce((a, b) => a + b, 0) / g.data.length;
console.log(`mean edge strength: original ${mean(mag).toFixed(4)}, max-pooled ${mean(maxP).toFixed(4)}, average-pooled ${mean(avgP).toFixed(4)}`);
console.log(mean(maxP) > mean(avgP)
  ? `max pooling keeps ${(mean(maxP) / mean(avgP)).toFixed(2)}x the average pooling's edge strength`
  : 'on this image max pooling does not keep more edge strength than average pooling');

// %% [markdown]
// ## 9 · Output sizes: (n − f + 2p) / s + 1
//
// A window of size $f$ with stride $s$ on $n$ pixels padded by $p$ on each side has
// $\lfloor (n - f + 2p)/s \rfloor + 1$ positions ("same" padding in Keras: $\lceil n / s \rceil$).
// Seed 000 walks through AlexNet with this formula; here it is layer by layer, next to the sizes in
// the seed's table.

// %%
const alexSteps: V.SizeStep[] = [
  { name: 'C1 conv 11x11, stride 4', f: 11, stride: 4 },
  { name: 'S2 max pool 3x3, stride 2', f: 3, stride: 2 },
  { name: 'C3 conv 5x5, padding 2', f: 5, padding: 2 },
  { name: 'S4 max pool 3x3, stride 2', f: 3, stride: 2 },
  { name: 'C5 conv 3x3, padding 1', f: 3, padding: 1 },
  { name: 'C6 conv 3x3, padding 1', f: 3, padding: 1 },
  { name: 'C7 conv 3x3, padding 1', f: 3, padding: 1 },
  { name: 'S8 max pool 3x3, stride 2', f: 3, stride: 2 },
];
const seedSizes = [55, 27, 27, 13, 13, 13, 13, 6];
const chain = V.sizeChain(227, alexSteps);
showMarkdown(markdownTable(['layer', 'formula', 'ours', "seed's table"], chain.map((r, i) => [r.name, r.formula, r.output, seedSizes[i]])));
console.log('all equal to the seed:', chain.every((r, i) => r.output === seedSizes[i]));
{
  const c1 = V.convOutputSize(224, 11, { stride: 4 });
  const covered = (c1 - 1) * 4 + 11;
  console.log(`with a 224x224 input (the size quoted in the 2012 paper), C1 gives ${c1} maps per side: (224 - 11) / 4 = ${(224 - 11) / 4} is not whole, ` +
    `the windows cover ${covered} of 224 pixels and ${224 - covered} is dropped; 227 tiles exactly: ${V.fitsExactly(227, 11, { stride: 4 })}`);
}

// %% [markdown]
// ## 10 · Memory requirements
//
// The lecture's example: a conv layer with 5x5 filters producing 200 feature maps of 150x100
// (stride 1, "same"), on a 150x100 RGB image.

// %%
const cost = V.convLayerCost({ input: [150, 100, 3], filters: 200, kernel: 5, stride: 1, padding: 'same' });
showMarkdown(markdownTable(['quantity', 'formula', 'ours', "seed's"], [
  ['parameters', '(5·5·3 + 1) · 200', cost.params.toLocaleString('en-US'), '15,200'],
  ['multiplications', '150·100·200 · 75', `${(cost.multiplications / 1e6).toLocaleString('en-US')} M`, '225 M'],
  ['output, one instance (float32)', '200·150·100 · 32 bits', `${V.formatBytes(cost.bytesPerInstance)} (${(cost.bytesPerInstance * 8 / 1e6).toLocaleString('en-US')} M bits)`, '12 MB (96 M bits)'],
  ['output, batch of 100', '· 100', V.formatBytes(V.batchBytes(cost, 100)), '1.2 GB'],
  ['output, batch of 100 in float16', '· 100 / 2', V.formatBytes(V.batchBytes(V.convLayerCost({ input: [150, 100, 3], filters: 200, kernel: 5, bytesPerValue: 2 }), 100)), '—'],
]));

// %% [markdown]
// Training keeps every layer's output for the backward pass, so these amounts add up over the
// layers; at inference only two consecutive layers need to be in memory. Hence the lecture's
// remedies: a smaller batch, strides, fewer layers, 16-bit floats.
//
// The memory a real layer allocates can be measured: run the layer on one instance and read
// `tf.memory()`. The output tensor is exactly 200·150·100 float32 values.

// %%
{
  const layer = tf.layers.conv2d({ filters: 200, kernelSize: 5, padding: 'same', inputShape: [150, 100, 3] });
  const x = tf.zeros([1, 150, 100, 3]);
  const y = layer.apply(x) as tf.Tensor;
  console.log(`layer parameters: ${layer.countParams().toLocaleString('en-US')}; output shape [${y.shape}]; output bytes: ${V.formatBytes(y.size * 4)}`);
  tf.dispose([x, y]);
  layer.dispose();
}
console.log('tensors alive:', tf.memory().numTensors);

// %% [markdown]
// ## Exercises
//
// Each exercise has an answer cell (write your code between the `BEGIN SOLUTION` and `END SOLUTION`
// lines, keeping the names declared above them) and a check cell that says "passed" or what is not
// right yet.
//
// **Exercise 1 · Prewitt masks.** The Prewitt masks are Sobel's without the 2s:
// $\begin{bmatrix} -1 & 0 & 1 \\ -1 & 0 & 1 \\ -1 & 0 & 1 \end{bmatrix}$ and its transpose. Write
// `prewittMagnitude(image)`: the gradient magnitude $\sqrt{v^2 + h^2}$ of a `V.Grid` with the two
// Prewitt masks (`V.convolve2d`, mode `'same'`, boundary `'symm'`, like the Sobel cell). Compare it
// with Sobel's on the image: how large is the mean absolute difference after scaling both to
// [0, 1]?

// %%
let prewittMagnitude: ((image: V.Grid) => V.Grid) | undefined;
// ### BEGIN SOLUTION
prewittMagnitude = (image) => {
  const pv = V.gridFromRows([[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]]);
  const ph = V.gridFromRows([[-1, -1, -1], [0, 0, 0], [1, 1, 1]]);
  const gv = V.convolve2d(image, pv, { mode: 'same', boundary: 'symm' });
  const gh = V.convolve2d(image, ph, { mode: 'same', boundary: 'symm' });
  return V.combineGrids(gv, gh, Math.hypot);
};
{
  const prewitt = V.normalizeGrid(prewittMagnitude(scene));
  const sobel = V.normalizeGrid(sob.magnitude);
  const mad = V.combineGrids(prewitt, sobel, (a, b) => Math.abs(a - b)).data.reduce((a, b) => a + b, 0) / scene.data.length;
  console.log(`mean |Prewitt - Sobel| after scaling: ${mad.toFixed(4)}`);
  showImageGrid(V.gridsToBatch([prewitt, sobel]), { titles: ['Prewitt', 'Sobel'], normalize: 'unit' });
}
// ### END SOLUTION

// %%
await check04_1({ prewittMagnitude: prewittMagnitude });

// %% [markdown]
// **Exercise 2 · Linearity.** Check numerically that convolution is linear:
// $(aF_1 + bF_2) * g = a(F_1 * g) + b(F_2 * g)$, with $F_1$ the image, $F_2$ its blur, $a = 2$,
// $b = -0.5$ and $g = S_v$. Set `linearityGap` to the largest absolute difference between the two
// sides. Why does linearity make a matrix $G$ possible?

// %%
let linearityGap: number | undefined;
// ### BEGIN SOLUTION
{
  const f1 = scene;
  const f2 = unsharp.blurred;
  const mix = V.combineGrids(f1, f2, (x, y) => 2 * x - 0.5 * y);
  const left = V.convolve2d(mix, V.SOBEL_VERTICAL, { mode: 'same', boundary: 'symm' });
  const right = V.combineGrids(
    V.convolve2d(f1, V.SOBEL_VERTICAL, { mode: 'same', boundary: 'symm' }),
    V.convolve2d(f2, V.SOBEL_VERTICAL, { mode: 'same', boundary: 'symm' }),
    (x, y) => 2 * x - 0.5 * y,
  );
  linearityGap = V.gridRange(V.combineGrids(left, right, (x, y) => Math.abs(x - y))).max;
  console.log('max difference:', linearityGap);
  // Every linear map between finite-dimensional spaces is a matrix: G holds the image of each unit pixel in its column.
}
// ### END SOLUTION

// %%
await check04_2({ linearityGap: linearityGap });

// %% [markdown]
// **Exercise 3 · The 'full' matrix.** Write `fullConvolutionMatrix(H, W, kernel)` with loops, like
// `convolutionMatrixLoops` above: the matrix of the *true* convolution (kernel flipped) of an
// H x W image in `'full'` mode, one row per output pixel of the (H + kh − 1) x (W + kw − 1) result,
// read row by row. Check that its product with vec(I) equals `V.convolve2d(I, k, { mode: 'full' })`.

// %%
let fullConvolutionMatrix: ((H: number, W: number, kernel: number[][]) => number[][]) | undefined;
// ### BEGIN SOLUTION
fullConvolutionMatrix = (H, W, kernel) => {
  const [kh, kw] = [kernel.length, kernel[0].length];
  const M: number[][] = [];
  for (let y = 0; y < H + kh - 1; y++) {
    for (let x = 0; x < W + kw - 1; x++) {
      const row = new Array<number>(H * W).fill(0);
      for (let s = 0; s < kh; s++) {
        for (let t = 0; t < kw; t++) {
          const [r, c] = [y - s, x - t]; // out(y, x) = sum k(s, t) I(y - s, x - t)
          if (r >= 0 && r < H && c >= 0 && c < W) row[r * W + c] += kernel[s][t];
        }
      }
      M.push(row);
    }
  }
  return M;
};
{
  const Gfull = V.gridFromRows(fullConvolutionMatrix(4, 4, V.gridToRows(k)));
  console.log(`G is ${Gfull.height}x${Gfull.width}: one row per output pixel of the 6x6 result, one column per input pixel`);
  console.log('G · vec(I) = convolve2d(I, k, full):', Array.from(V.matVec(Gfull, V.vec(I))).join() === Array.from(V.convolve2d(I, k, { mode: 'full' }).data).join());
}
// ### END SOLUTION

// %%
await check04_3({ fullConvolutionMatrix: fullConvolutionMatrix });

// %% [markdown]
// **Exercise 4 · Memory of the seed's CNN.** The first layer of notebook 05's CNN has 64 7x7
// filters, "same" padding, on 28x28 grey images. Compute its parameters (`c1Params`),
// multiplications per image (`c1Multiplications`), and output memory per batch of 32 in float32
// bytes (`c1BatchBytes`), by the formulas (you may check with `V.convLayerCost`).

// %%
let c1Params: number | undefined;
let c1Multiplications: number | undefined;
let c1BatchBytes: number | undefined;
// ### BEGIN SOLUTION
c1Params = (7 * 7 * 1 + 1) * 64;
c1Multiplications = 28 * 28 * 64 * 7 * 7 * 1;
c1BatchBytes = 28 * 28 * 64 * 4 * 32;
console.log(`params ${c1Params.toLocaleString('en-US')}, multiplications ${c1Multiplications.toLocaleString('en-US')}, per batch of 32 ${V.formatBytes(c1BatchBytes)}`);
// ### END SOLUTION

// %%
await check04_4({ c1Params: c1Params, c1Multiplications: c1Multiplications, c1BatchBytes: c1BatchBytes });

// %% [markdown]
// **Exercise 5 · Stride and padding.** Write `outputSize(n, f, stride, padding)`: the number of
// positions of an f-wide window with `stride` on n pixels padded by `padding` on each side. For a
// 32x32 input, which padding makes a 5x5 convolution with stride 1 keep the size? With stride 2,
// what sizes do p = 0, 1, 2 give, and do any of them tile the input exactly (`V.fitsExactly`)?

// %%
let outputSize: ((n: number, f: number, stride: number, padding: number) => number) | undefined;
// ### BEGIN SOLUTION
outputSize = (n, f, stride, padding) => Math.floor((n - f + 2 * padding) / stride) + 1;
console.log('stride 1, p = 2:', outputSize(32, 5, 1, 2));
for (const p of [0, 1, 2]) console.log(`stride 2, p = ${p}: ${outputSize(32, 5, 2, p)}, exact: ${V.fitsExactly(32, 5, { stride: 2, padding: p })}`);
// ### END SOLUTION

// %%
await check04_5({ outputSize: outputSize });

// %% [markdown]
// **Exercise 6 · A strided cross-correlation, as loops.** Write `correlateStrided(image, kernel,
// stride)`: what `tf.conv2d` computes with `'valid'` padding and that stride (no kernel flip), on
// plain nested arrays. Compare it with `tf.conv2d` on the 4x4 image I and k.

// %%
let correlateStrided: ((image: number[][], kernel: number[][], stride: number) => number[][]) | undefined;
// ### BEGIN SOLUTION
correlateStrided = (image, kernel, stride) => {
  const [kh, kw] = [kernel.length, kernel[0].length];
  const out: number[][] = [];
  for (let y = 0; y + kh <= image.length; y += stride) {
    const row: number[] = [];
    for (let x = 0; x + kw <= image[0].length; x += stride) {
      let sum = 0;
      for (let s = 0; s < kh; s++) for (let t = 0; t < kw; t++) sum += kernel[s][t] * image[y + s][x + t];
      row.push(sum);
    }
    out.push(row);
  }
  return out;
};
{
  const img = V.gridToRows(I);
  const ker = [[1, 0], [0, -1]];
  const viaTf = tf.tidy(() => (tf.conv2d(tf.tensor4d(img.flat(), [1, 4, 4, 1]), tf.tensor4d(ker.flat(), [2, 2, 1, 1]), 2, 'valid').arraySync() as number[][][][])[0].map((r) => r.map((v) => v[0])));
  console.log('loops:', JSON.stringify(correlateStrided(img, ker, 2)), ' tf.conv2d:', JSON.stringify(viaTf));
}
// ### END SOLUTION

// %%
await check04_6({ correlateStrided: correlateStrided });

// %% [markdown]
// **Exercise 7 · Max pooling, as loops.** Write `maxPoolLoops(x, size, stride)`: the maximum of
// each `size` x `size` window, windows every `stride` pixels, only where the window fits ('valid').
// Compare with `V.pool2d(fmap, { size: 3, stride: 1 })`.

// %%
let maxPoolLoops: ((x: number[][], size: number, stride: number) => number[][]) | undefined;
// ### BEGIN SOLUTION
maxPoolLoops = (x, size, stride) => {
  const out: number[][] = [];
  for (let y = 0; y + size <= x.length; y += stride) {
    const row: number[] = [];
    for (let c = 0; c + size <= x[0].length; c += stride) {
      let m = -Infinity;
      for (let s = 0; s < size; s++) for (let t = 0; t < size; t++) m = Math.max(m, x[y + s][c + t]);
      row.push(m);
    }
    out.push(row);
  }
  return out;
};
console.log('loops:', JSON.stringify(maxPoolLoops(V.gridToRows(fmap), 3, 1)), ' V.pool2d:', JSON.stringify(V.gridToRows(V.pool2d(fmap, { size: 3, stride: 1 }))));
// ### END SOLUTION

// %%
await check04_7({ maxPoolLoops: maxPoolLoops });

// %% [markdown]
// ## Summary
//
// - A dense layer on an image needs a weight per pixel and unit, and forgets which pixels are
//   neighbours; a convolution looks at small neighbourhoods with one shared filter, so it detects a
//   pattern wherever it is (translation invariance).
// - A 2-D convolution is four nested loops (flip the kernel, slide, multiply, add); CNN layers skip
//   the flip (cross-correlation). Classic masks (Sobel, mean blur, unsharp masking) show what a
//   filter can extract.
// - A convolution is a matrix product with a sparse, repeated matrix: doubly block Toeplitz, or
//   doubly block circulant when the convolution wraps around.
// - Pooling and strides shrink the maps; $\lfloor (n - f + 2p)/s \rfloor + 1$ gives every size;
//   memory grows with maps × batch, which is why training large CNNs needs small batches.
//
// Next: [05 · A CNN on Fashion-MNIST](05-cnn-fashion-mnist.ipynb): a network that learns its filters.
