import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'module';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isHeadless, type DisplayHandle, type MimeBundle } from '../lib/display';
import { LivePlot, PLOTLY_MIME, inlinePlotlyAgain, plotlyInlinedAlready, type Figure } from '../lib/plots';
import { compile } from '../lib/train/compile';
import { fit } from '../lib/train/fit';

/** A display handle that records every update. */
function recorder(): DisplayHandle & { bundles: MimeBundle[] } {
  const bundles: MimeBundle[] = [];
  return { live: true, bundles, update: (b) => void bundles.push(b) };
}

const htmlLength = (b: MimeBundle) => (b['text/html'] as string).length;

describe('LivePlot', () => {
  beforeEach(() => inlinePlotlyAgain());

  it('records the history and redraws at most once per throttle interval, always at the end', () => {
    let t = 0;
    const handle = recorder();
    const live = new LivePlot({ headless: false, handle, throttleMs: 1000, now: () => t, title: 'fit' });
    live.onTrainBegin();
    for (let epoch = 0; epoch < 5; epoch++) {
      t = epoch * 400; // epochs every 400 ms: redraws at 0, 1200 (>= 1000 after 0), then the end
      live.onEpochEnd(epoch, { loss: 1 / (epoch + 1), val_loss: 1.2 / (epoch + 1), learning_rate: 0.01 });
    }
    expect(handle.bundles.length).toBe(2);
    live.onTrainEnd();
    expect(handle.bundles.length).toBe(3);
    expect(live.updates).toBe(3);
    expect(live.history).toEqual({ loss: [1, 0.5, 1 / 3, 0.25, 0.2], val_loss: [1.2, 0.6, 1.2 / 3, 0.3, 0.24] });
    const last = handle.bundles[2][PLOTLY_MIME] as Figure;
    expect(last.data.map((d) => d.name)).toEqual(['loss', 'val_loss']);
    expect(last.layout.title?.text).toBe('fit');
    expect(handle.bundles[2]['text/plain']).toBe('Figure: fit (2 traces)');
  });

  it('carries plotly.js in its first and last redraw when it is the first figure of the session', () => {
    let t = 0;
    const handle = recorder();
    const live = new LivePlot({ headless: false, handle, throttleMs: 0, now: () => t });
    for (let epoch = 0; epoch < 3; epoch++) {
      t += 10;
      live.onEpochEnd(epoch, { loss: 1 });
    }
    live.onTrainEnd();
    expect(handle.bundles.map((b) => htmlLength(b) > 3_000_000)).toEqual([true, false, false, true]);
    expect(plotlyInlinedAlready()).toBe(true);
    // Every redraw targets the same div.
    const ids = handle.bundles.map((b) => /<div id="([^"]+)"/.exec(b['text/html'] as string)?.[1]);
    expect(new Set(ids).size).toBe(1);
  });

  it('does not carry plotly.js when an earlier figure did, and skips a final redraw with nothing new', () => {
    inlinePlotlyAgain();
    const handle = recorder();
    // Mark plotly.js as sent, as an earlier figure would.
    new LivePlot({ headless: false, handle: recorder(), throttleMs: 0 }).onEpochEnd(0, { loss: 1 });
    const live = new LivePlot({ headless: false, handle, throttleMs: 0, metrics: ['accuracy'] });
    live.onEpochEnd(0, { loss: 1, accuracy: 0.5 });
    live.onTrainEnd();
    expect(handle.bundles.length).toBe(1);
    expect(htmlLength(handle.bundles[0])).toBeLessThan(5000);
    expect(live.history).toEqual({ accuracy: [0.5] });
  });

  it('draws nothing when headless, but keeps the history for a final figure', () => {
    const handle = recorder();
    const live = new LivePlot({ headless: true, handle });
    expect(live.live).toBe(false);
    live.onEpochEnd(0, { loss: 0.5, accuracy: 0.8 });
    live.onEpochEnd(1, { loss: 0.4, accuracy: 0.85 });
    live.onTrainEnd();
    expect(handle.bundles.length).toBe(0);
    const fig = live.figure();
    expect(fig.data.map((d) => d.name)).toEqual(['loss', 'accuracy']);
    expect(fig.layout.yaxis?.range).toEqual([0, 1]); // every value in [0, 1]: the seed's axis
    live.onEpochEnd(2, { loss: 2.5, accuracy: 0.9 });
    const fitted = live.figure();
    expect(fitted.layout.yaxis?.range?.[1]).toBeGreaterThanOrEqual(2.5); // a loss above 1 stays in view
    expect(fitted.layout.yaxis2?.range).toEqual([0, 1]);
  });

  it('rejects a negative throttle', () => {
    expect(() => new LivePlot({ throttleMs: -1 })).toThrow(/throttleMs=-1/);
  });
});

describe('LivePlot in fit', () => {
  it('is a Callback: fit feeds it every epoch, its history matches fit\'s', async () => {
    const x = tf.tensor2d([[0], [1], [2], [3], [4], [5], [6], [7]]);
    const y = tf.tensor2d([[1], [3], [5], [7], [9], [11], [13], [15]]);
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
    compile(model, { optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
    const before = tf.memory().numTensors;
    const handle = recorder();
    const live = new LivePlot({ headless: false, handle, throttleMs: 0 });
    const h = await fit(model, x, y, { epochs: 3, batchSize: 4, validationSplit: 0.25, verbose: 0, callbacks: [live] });
    expect(Object.keys(live.history).sort()).toEqual(['loss', 'mae', 'val_loss', 'val_mae']);
    for (const k of Object.keys(live.history)) expect(live.history[k]).toEqual(h.history[k]);
    expect(handle.bundles.length).toBe(4); // 3 epochs + the final redraw carrying plotly.js
    const last = handle.bundles[3][PLOTLY_MIME] as Figure;
    expect(last.data.find((t) => t.name === 'val_mae')?.type).toBe('scatter');
    expect(tf.memory().numTensors).toBe(before); // fit and the live plot left no tensors behind
    tf.dispose([x, y]);
    model.dispose();
  });
});

describe('headless detection', () => {
  const jupyter = createRequire(__filename)('tslab/dist/jupyter') as { lastWriteDisplayData: ((m: unknown, u: boolean) => void) | null };
  afterEach(() => {
    jupyter.lastWriteDisplayData = null;
    delete (globalThis as { __tslab__?: unknown }).__tslab__;
  });

  it('is headless outside a notebook, and in a notebook only with CI or TSDL_HEADLESS set', () => {
    expect(isHeadless({})).toBe(true); // vitest: no kernel
    (globalThis as { __tslab__?: unknown }).__tslab__ = {};
    jupyter.lastWriteDisplayData = () => undefined;
    expect(isHeadless({})).toBe(false);
    expect(isHeadless({ CI: 'true' })).toBe(true);
    expect(isHeadless({ TSDL_HEADLESS: '1' })).toBe(true);
    expect(isHeadless({ TSDL_HEADLESS: '0' })).toBe(false);
  });

  it('a LivePlot in a notebook updates one display in place through the kernel', () => {
    const sent: Array<{ id: string | undefined; update: boolean }> = [];
    (globalThis as { __tslab__?: unknown }).__tslab__ = {};
    jupyter.lastWriteDisplayData = (m, update) => sent.push({ id: (m as { transient: { display_id?: string } }).transient.display_id, update });
    const live = new LivePlot({ headless: false, throttleMs: 0 });
    expect(live.live).toBe(true);
    live.onEpochEnd(0, { loss: 1 });
    live.onEpochEnd(1, { loss: 0.5 });
    expect(sent.map((s) => s.update)).toEqual([false, true]);
    expect(sent[0].id).toBeDefined();
    expect(sent[1].id).toBe(sent[0].id);
  });
});
