// %% [markdown]
// # 04 · Convolutions by hand
//
// Before a CNN *learns* its filters, we apply some classic ones ourselves. This notebook follows
// the convolution sections of lecture 001 ("Why convolution?", "Shared-weight neural networks",
// "Pooling layers and strides", "Memory requirements") and the AlexNet notes of seed 000:
//
// 1. Sobel edge masks, a 10x10 mean blur and unsharp masking on a real-looking image;
// 2. convolution versus cross-correlation (the kernel flip);
// 3. convolution as a matrix product: the seed's 4x4 image and 3x3 kernel, with its matrix G;
// 4. max versus average pooling, and strides;
// 5. the output-size formula checked layer by layer on AlexNet (227 -> 55 -> 27 -> 13 -> 6);
// 6. the memory example: 15,200 parameters, 225 M multiplications, 12 MB per instance, 1.2 GB per 100.
//
// Every convolution here is computed by `lib/vision` in plain TypeScript numbers (so that each value
// can be checked by hand) and cross-checked against TensorFlow.js's `tf.conv2d`.
//
// > **Run the cells in order**, from the top (Cell > Run All; after a kernel restart, Kernel > Restart & Run All): each cell uses what the cells above it defined.

// %%
import * as tf from '@tensorflow/tfjs';
import { initBackend, describeBackend } from '../dist/lib/backend';
import { setGlobalSeed } from '../dist/lib/random';
import { profileSizes } from '../dist/lib/profile';
import { showMarkdown } from '../dist/lib/display';
import { showImageGrid } from '../dist/lib/images';
import { loadFashionMnist } from '../dist/lib/data';
import * as V from '../dist/lib/vision';

const backend = await initBackend();
setGlobalSeed(42);
console.log(describeBackend(backend));

// The image side: the seed's camera() picture is 512x512; ours is made by code.
const P = profileSizes({ full: { sceneSize: 256, blurSize: 10 }, smoke: { sceneSize: 128, blurSize: 10 } });
console.log(P);

// %% [markdown]
// ## 1 · An image to filter
//
// The lecture uses scikit-image's `data.camera()` photograph. We cannot download it, so
// `syntheticScene` draws a grey scene by code: a sky gradient, a sun, a house with a roof, door and
// windows, hills, a checkerboard pavement and a striped sign, with a little Gaussian noise. It has
// edges in every direction, smooth areas and fine texture — what the filters below respond to.
// The second image is a real photograph of a product: the first Fashion-MNIST test image (an ankle
// boot), upscaled 8x with bilinear interpolation to 224x224.

// %%
const scene = V.syntheticScene({ size: P.sceneSize });
const fm = await loadFashionMnist({ limit: { train: 1, test: 1 } });
const boot28: V.Grid = { height: 28, width: 28, data: Float64Array.from(fm.test.images, (v) => v / 255) };
const boot = V.upscale(boot28, 8);
console.log(`scene ${scene.height}x${scene.width}, range`, V.gridRange(scene));
console.log(`boot ${boot.height}x${boot.width} (${fm.classNames[fm.test.labels[0]]}), from ${fm.source}`);
showImageGrid(V.gridsToBatch([scene]), { titles: ['synthetic scene'], normalize: 'unit' });
showImageGrid(V.gridsToBatch([boot]), { titles: ['Fashion-MNIST test image 0, upscaled 8x'], normalize: 'unit' });

// %% [markdown]
// ## 2 · Sobel edge masks
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
// In the vertical gradient the house's walls, the door and the sign's stripes stand out while
// the roof's horizontal base and the window bars across vanish; the horizontal gradient shows the
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
// ## 3 · Blur and unsharp masking
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
// The sharpened image overshoots on both sides of every edge (a darker band on the dark side, a
// brighter one on the bright side): that halo is what makes edges look crisper.
//
// ## 4 · Convolution or cross-correlation?
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
// ## 5 · Convolution as a matrix product
//
// A convolution is linear, so it is a matrix: writing $f = \mathrm{vec}(F)$ for the image read row
// by row, $h = G f$. The seed's example is the 4x4 image
// $I = \begin{bmatrix} 1 & 2 & 3 & 4 \\ 5 & 6 & 7 & 8 \\ 9 & 10 & 11 & 12 \\ 13 & 14 & 15 & 16\end{bmatrix}$
// and the kernel $k = \begin{bmatrix} -1 & -2 & -3 \\ -4 & -5 & -6 \\ -7 & -8 & -9 \end{bmatrix}$.
// Only 2x2 positions fit the kernel inside the image ('valid'), so $G$ has 4 rows and 16 columns.
//
// **A typo in the seed.** Its second row of $G$ has 17 entries: one 0 too many at the end. Below is
// the matrix as printed, then ours, built by `V.convolutionMatrix`.

// %%
const I = V.gridFromRows([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]);
const k = V.gridFromRows([[-1, -2, -3], [-4, -5, -6], [-7, -8, -9]]);
console.log('row lengths of the seed\'s G as printed:', V.SEED_G_AS_PRINTED.map((r) => r.length));
const G = V.convolutionMatrix(4, 4, k, { mode: 'valid', flip: false });
showMarkdown(`**G** (${G.height}x${G.width}), built by \`convolutionMatrix\`:\n\n${V.gridMarkdown(G)}`);
const fixed = V.seedGFixed();
console.log('our G equals the seed\'s G with the extra 0 removed:', V.gridToRows(G).join('|') === V.gridToRows(fixed).join('|'));

// %% [markdown]
// Row $r$ of $G$ holds the kernel's 3 rows, each followed by a 0 (the 4th column of the image row it
// skips), shifted by one column per output pixel and by four (one image row) per output row. Now the
// product:

// %%
const h = V.matVec(G, V.vec(I));
const corr = V.correlate2d(I, k, { mode: 'valid' });
const conv = V.convolve2d(I, k, { mode: 'valid' });
const convFlipped = V.convolve2d(I, V.flipKernel(k), { mode: 'valid' });
showMarkdown([
  '| | output (2x2, read row by row) |',
  '| --- | --- |',
  `| G · vec(I) | ${Array.from(h).join(', ')} |`,
  `| correlate2d(I, k, 'valid') (what tf.conv2d computes) | ${Array.from(corr.data).join(', ')} |`,
  `| convolve2d(I, flip(k), 'valid') | ${Array.from(convFlipped.data).join(', ')} |`,
  `| convolve2d(I, k, 'valid') (true convolution) | ${Array.from(conv.data).join(', ')} |`,
].join('\n'));
const viaTf = tf.tidy(() => tf.conv2d(V.gridToTensor(I).reshape([1, 4, 4, 1]) as tf.Tensor4D, V.gridToTensor(k).reshape([3, 3, 1, 1]) as tf.Tensor4D, 1, 'valid').dataSync());
console.log('tf.conv2d(I, k, valid):', Array.from(viaTf));

// %% [markdown]
// So the seed's $G$ computes the **cross-correlation** with $k$ — the CNN convention — which is the
// true convolution with $k$ turned by 180°. The first entry by hand:
// $-(1\cdot1 + 2\cdot2 + 3\cdot3 + 4\cdot5 + 5\cdot6 + 6\cdot7 + 7\cdot9 + 8\cdot10 + 9\cdot11) = -348$.
//
// **Toeplitz or circulant?** $G$ is made of 2x4 blocks; each block is constant along its diagonals
// (a *Toeplitz* matrix), and the blocks themselves repeat along block diagonals: $G$ is *doubly
// block Toeplitz*. It becomes doubly block **circulant** — the name the lecture uses — when the
// convolution is circular (the image wraps around at its borders), because then every row is a
// cyclic shift of the previous one. `convolutionMatrix` builds both:

// %%
const blocks = [0, 1].map((bi) => [0, 1, 2, 3].map((bj) => V.isToeplitz(V.block(G, bi, bj, 2, 4))));
console.log('each 2x4 block of G is Toeplitz:', blocks);
console.log('block (0,0) = block (1,1):', V.gridToRows(V.block(G, 0, 0, 2, 4)).join('|') === V.gridToRows(V.block(G, 1, 1, 2, 4)).join('|'));
const C = V.convolutionMatrix(4, 4, k, { mode: 'same', boundary: 'wrap', flip: true });
showMarkdown(`**Circular convolution** of the 4x4 image: a 16x16 doubly block circulant matrix (blocks of 4x4)\n\n${V.gridMarkdown(C)}`);
const circ = V.convolve2d(I, k, { mode: 'same', boundary: 'wrap' });
console.log('C · vec(I) equals convolve2d(I, k, same, wrap):', Array.from(V.matVec(C, V.vec(I))).join() === Array.from(circ.data).join());

// %% [markdown]
// This is the link to neural networks: a convolutional layer is a dense layer whose weight matrix
// is forced to be this sparse, repeated pattern — 9 shared weights instead of 4 x 16 = 64 free ones
// (for a 256x256 image, 9 instead of about $4.3 \times 10^9$). That is the lecture's
// "shared-weight neural network".
//
// ## 6 · Pooling and strides
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
// On the edge map of the scene: max pooling keeps thin edges bright (a strong response anywhere in
// the window survives), average pooling dilutes them, and a stride-2 convolution simply skips every
// other position.

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

// %% [markdown]
// ## 7 · Output sizes: (n − f + 2p) / s + 1
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
showMarkdown([
  '| layer | formula | ours | seed |',
  '| --- | --- | ---: | ---: |',
  ...chain.map((r, i) => `| ${r.name} | ${r.formula} | ${r.output} | ${seedSizes[i]} |`),
].join('\n'));
console.log('all equal to the seed:', chain.every((r, i) => r.output === seedSizes[i]));
{
  const c1 = V.convOutputSize(224, 11, { stride: 4 });
  const covered = (c1 - 1) * 4 + 11;
  console.log(`with a 224x224 input (the size quoted in the 2012 paper), C1 gives ${c1} maps per side: (224 - 11) / 4 = ${(224 - 11) / 4} is not whole, ` +
    `the windows cover ${covered} of 224 pixels and ${224 - covered} is dropped; 227 tiles exactly: ${V.fitsExactly(227, 11, { stride: 4 })}`);
}

// %% [markdown]
// ## 8 · Memory requirements
//
// The lecture's example: a conv layer with 5x5 filters producing 200 feature maps of 150x100
// (stride 1, "same"), on a 150x100 RGB image.

// %%
const cost = V.convLayerCost({ input: [150, 100, 3], filters: 200, kernel: 5, stride: 1, padding: 'same' });
showMarkdown([
  '| quantity | formula | ours | seed |',
  '| --- | --- | ---: | ---: |',
  `| parameters | (5·5·3 + 1) · 200 | ${cost.params.toLocaleString('en-US')} | 15,200 |`,
  `| multiplications | 150·100·200 · 75 | ${(cost.multiplications / 1e6).toLocaleString('en-US')} M | 225 M |`,
  `| output, one instance (float32) | 200·150·100 · 32 bits | ${V.formatBytes(cost.bytesPerInstance)} (${(cost.bytesPerInstance * 8 / 1e6).toLocaleString('en-US')} M bits) | 12 MB (96 M bits) |`,
  `| output, batch of 100 | · 100 | ${V.formatBytes(V.batchBytes(cost, 100))} | 1.2 GB |`,
  `| output, batch of 100 in float16 | · 100 / 2 | ${V.formatBytes(V.batchBytes(V.convLayerCost({ input: [150, 100, 3], filters: 200, kernel: 5, bytesPerValue: 2 }), 100))} | — |`,
].join('\n'));

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
// 1. **Prewitt masks.** The Prewitt masks are Sobel's without the 2s:
//    $\begin{bmatrix} -1 & 0 & 1 \\ -1 & 0 & 1 \\ -1 & 0 & 1 \end{bmatrix}$ and its transpose.
//    Compute the Prewitt gradient magnitude of the scene and compare it with Sobel's: how large is
//    the mean absolute difference after scaling both to [0, 1]?

// %% [solution]
{
  const pv = V.gridFromRows([[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]]);
  const ph = V.gridFromRows([[-1, -1, -1], [0, 0, 0], [1, 1, 1]]);
  const gv = V.convolve2d(scene, pv, { mode: 'same', boundary: 'symm' });
  const gh = V.convolve2d(scene, ph, { mode: 'same', boundary: 'symm' });
  const prewitt = V.normalizeGrid(V.combineGrids(gv, gh, Math.hypot));
  const sobel = V.normalizeGrid(sob.magnitude);
  const mad = V.combineGrids(prewitt, sobel, (a, b) => Math.abs(a - b)).data.reduce((a, b) => a + b, 0) / scene.data.length;
  console.log(`mean |Prewitt - Sobel| after scaling: ${mad.toFixed(4)} (the two detect the same edges; Sobel weights the centre row more)`);
  showImageGrid(V.gridsToBatch([prewitt, sobel]), { titles: ['Prewitt', 'Sobel'], normalize: 'unit' });
}

// %% [markdown]
// 2. **Linearity.** Check numerically that convolution is linear:
//    $(aF_1 + bF_2) * g = a(F_1 * g) + b(F_2 * g)$, with $F_1$ the scene, $F_2$ the scene's blur,
//    $a = 2$, $b = -0.5$ and $g = S_v$. Why does this make a matrix $G$ possible?

// %% [solution]
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
  console.log('max difference:', V.gridRange(V.combineGrids(left, right, (x, y) => Math.abs(x - y))).max);
  console.log('Every linear map between finite-dimensional spaces is a matrix: G holds the image of each unit pixel in its column.');
}

// %% [markdown]
// 3. **The 'full' matrix.** Build $G$ for the *true* convolution of the 4x4 image with $k$ in
//    `'full'` mode. What is its shape? Check that $G\,\mathrm{vec}(I)$ equals `convolve2d(I, k)`.

// %% [solution]
{
  const Gfull = V.convolutionMatrix(4, 4, k, { mode: 'full', flip: true });
  console.log(`G is ${Gfull.height}x${Gfull.width}: one row per output pixel of the 6x6 result, one column per input pixel`);
  const same = Array.from(V.matVec(Gfull, V.vec(I))).join() === Array.from(V.convolve2d(I, k, { mode: 'full' }).data).join();
  console.log('G · vec(I) = convolve2d(I, k, full):', same);
}

// %% [markdown]
// 4. **Memory of the seed's CNN.** The first layer of notebook 05's CNN has 64 7x7 filters, "same"
//    padding, on 28x28 grey images. Compute its parameters, multiplications per image, and output
//    memory per image and per batch of 32 (float32).

// %% [solution]
{
  const c1 = V.convLayerCost({ input: [28, 28, 1], filters: 64, kernel: 7, padding: 'same' });
  console.log(`params ${c1.params.toLocaleString('en-US')}, multiplications ${c1.multiplications.toLocaleString('en-US')}, ` +
    `per image ${V.formatBytes(c1.bytesPerInstance)}, per batch of 32 ${V.formatBytes(V.batchBytes(c1, 32))}`);
}

// %% [markdown]
// 5. **Stride and padding.** For a 32x32 input, which padding $p$ makes a 5x5 convolution with
//    stride 1 keep the size? With stride 2, what sizes do $p = 0, 1, 2$ give, and do any of them tile
//    the input exactly? Which input sizes near 32 would?

// %% [solution]
{
  console.log('stride 1, p = 2:', V.convOutputSize(32, 5, { padding: 2 }), '(p = (f - 1) / 2 keeps the size)');
  for (const p of [0, 1, 2]) {
    console.log(`stride 2, p = ${p}: ${V.convOutputSize(32, 5, { stride: 2, padding: p })}, exact: ${V.fitsExactly(32, 5, { stride: 2, padding: p })}`);
  }
  console.log('none: 32 - 5 + 2p is odd for every p; odd sizes tile exactly:', [31, 33].map((n) => `${n} -> ${V.convOutputSize(n, 5, { stride: 2 })} (${V.fitsExactly(n, 5, { stride: 2 })})`).join(', '));
}
