import * as tf from '@tensorflow/tfjs';
import { describe, expect, it, vi } from 'vitest';
import type { DisplayHandle, MimeBundle } from '../lib/display';
import { Logs } from '../lib/train/callbacks';
import { compile } from '../lib/train/compile';
import { evaluate, fit } from '../lib/train/fit';
import { formatMetricValue, formatProgressLine, formatTimePerStep, orderedLogKeys, PROGRESS_LINE_WIDTH, ProgressLogger, progressMode, wrapParts } from '../lib/train/progress';

const BAR = '━'.repeat(20);

describe('Keras 3 progress lines', () => {
  it('formats the final line of an epoch like the seed', () => {
    const line = formatProgressLine({
      current: 1719,
      target: 1719,
      elapsed: 2.2,
      timePerStep: 0.00128,
      values: [['accuracy', 0.88134], ['loss', 0.33691], ['val_accuracy', 0.8772], ['val_loss', 0.33934]],
      finalize: true,
      verbose: 1,
    });
    expect(line).toBe(`1719/1719 ${BAR} 2s 1ms/step - accuracy: 0.8813 - loss: 0.3369 - val_accuracy: 0.8772 - val_loss: 0.3393`);
  });

  it('shows ETA while running, verbose 2 lines, and small values in scientific notation', () => {
    const running = formatProgressLine({ current: 12, target: 1719, elapsed: 0.06, timePerStep: 0.005, values: [['loss', 2.3]], finalize: false, verbose: 1 });
    expect(running).toBe(`  12/1719 ${BAR} 8s 5ms/step - loss: 2.3000`);
    const long = formatProgressLine({ current: 1, target: 100, elapsed: 1, timePerStep: 0.66, values: [], finalize: false, verbose: 1 });
    expect(long).toBe(`  1/100 ${BAR} 1:05 660ms/step`);
    const hours = formatProgressLine({ current: 1, target: 3, elapsed: 1, timePerStep: 2000, values: [], finalize: false, verbose: 1 });
    expect(hours).toBe(`1/3 ${BAR} 1:06:40 2000s/step`);
    const v2 = formatProgressLine({ current: 532, target: 532, elapsed: 1.4, timePerStep: 0.0021, values: [['loss', 0.0417], ['mae', 0.000123]], finalize: true, verbose: 2 });
    expect(v2).toBe('532/532 - 1s - 2ms/step - loss: 0.0417 - mae: 1.2300e-04');
    expect(formatMetricValue(NaN)).toBe('nan');
    expect(formatTimePerStep(0.0000123)).toBe(' 12us/step');
    expect(orderedLogKeys({ val_loss: 1, loss: 1, learning_rate: 1, accuracy: 1, val_accuracy: 1 })).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss', 'learning_rate']);
    const colored = formatProgressLine({ current: 5, target: 10, elapsed: 1, timePerStep: 0.2, values: [], finalize: false, verbose: 1, color: true });
    expect(colored).toBe(`\x1b[1m 5/10\x1b[0m \x1b[32m${'━'.repeat(10)}\x1b[0m\x1b[37m${'━'.repeat(10)}\x1b[0m 1s 200ms/step`);
  });

  it('continues a line longer than the output width on an indented line, never splitting a value', () => {
    const values: [string, number][] = [['accuracy', 0.88134], ['loss', 0.33691], ['val_accuracy', 0.8772], ['val_loss', 0.33934], ['learning_rate', 0.001]];
    const line = formatProgressLine({ current: 1719, target: 1719, elapsed: 2.2, timePerStep: 0.00128, values, finalize: true, verbose: 1, maxWidth: PROGRESS_LINE_WIDTH });
    expect(line).toBe(`1719/1719 ${BAR} 2s 1ms/step - accuracy: 0.8813 - loss: 0.3369 - val_accuracy: 0.8772\n    - val_loss: 0.3393 - learning_rate: 1.0000e-03`);
    for (const l of line.split('\n')) expect(l.length).toBeLessThanOrEqual(PROGRESS_LINE_WIDTH);
    // Colour codes take no room: the coloured line breaks where the plain one does.
    const colored = formatProgressLine({ current: 5, target: 1719, elapsed: 1, timePerStep: 0.2, values, finalize: false, verbose: 1, color: true, maxWidth: PROGRESS_LINE_WIDTH });
    expect(colored.replace(/\x1b\[[0-9;]*m/g, '').split('\n').map((l) => l.length).every((n) => n <= PROGRESS_LINE_WIDTH)).toBe(true);
    expect(colored.split('\n')).toHaveLength(2);
    expect(wrapParts('head', [' - a: 1', ' - b: 2'], 12)).toBe('head - a: 1\n    - b: 2');
    expect(wrapParts('head', [' - a: 1'])).toBe('head - a: 1');
  });

  it('shows verbose 2 running lines with the time left', () => {
    const running = formatProgressLine({ current: 12, target: 1719, elapsed: 0.06, timePerStep: 0.005, values: [['loss', 2.3]], finalize: false, verbose: 2 });
    expect(running).toBe('  12/1719 - ETA 8s - 5ms/step - loss: 2.3000');
  });

  it('is plain when headless (CI or TSDL_HEADLESS=1) and outside a notebook', () => {
    expect(progressMode({ CI: 'true' })).toBe('plain');
    expect(progressMode({ TSDL_HEADLESS: '1' })).toBe('plain');
    expect(progressMode({})).toBe('plain'); // vitest is not a notebook
  });
});

/** Drives a logger through epochs of `steps` batches, the clock advancing `msPerStep` per batch. */
async function drive(logger: ProgressLogger, epochs: number, steps: number, msPerStep: number, clock: { t: number }, reads: { n: number }): Promise<void> {
  logger.setParams({ epochs, steps, verbose: 1 });
  for (let e = 0; e < epochs; e++) {
    logger.onEpochBegin(e);
    for (let b = 0; b < steps; b++) {
      clock.t += msPerStep;
      const logs: Logs = { batch: b, size: 32 };
      Object.defineProperty(logs, 'loss', { enumerable: true, get: () => (reads.n++, 1 / (b + 1)) });
      await logger.onBatchEnd(b, logs);
    }
    logger.onEpochEnd(e, { loss: 0.5, val_loss: 0.25 });
  }
}

describe('ProgressLogger', () => {
  it('prints "Epoch k/N" and one line per epoch headless, reading no batch values', async () => {
    const lines: string[] = [];
    const clock = { t: 0 };
    const reads = { n: 0 };
    const logger = new ProgressLogger({ mode: 'plain', print: (l) => lines.push(l), now: () => clock.t });
    await drive(logger, 2, 4, 250, clock, reads);
    expect(lines).toEqual(['Epoch 1/2', `4/4 ${BAR} 1s 250ms/step - loss: 0.5000 - val_loss: 0.2500`, 'Epoch 2/2', `4/4 ${BAR} 1s 250ms/step - loss: 0.5000 - val_loss: 0.2500`]);
    expect(reads.n).toBe(0);
  });

  it('updates one live line per epoch in place, at most every 500 ms', async () => {
    const handles: string[][] = [];
    const newHandle = (): DisplayHandle => {
      const updates: string[] = [];
      handles.push(updates);
      return { live: true, update: (b: MimeBundle) => void updates.push(String(b['text/plain'])) };
    };
    const clock = { t: 0 };
    const reads = { n: 0 };
    const logger = new ProgressLogger({ mode: 'live', intervalMs: 500, now: () => clock.t, newHandle });
    await drive(logger, 2, 10, 200, clock, reads);
    expect(handles).toHaveLength(2);
    // Initial line, updates at 600, 1200 and 1800 ms (every third batch), then the final line.
    expect(handles[0]).toHaveLength(5);
    expect(reads.n).toBe(6); // three reads per epoch, only when a line is drawn
    expect(handles[0][0]).toContain('Epoch 1/2\n');
    expect(handles[0][1]).toBe(`Epoch 1/2\n\x1b[1m 3/10\x1b[0m \x1b[32m${'━'.repeat(6)}\x1b[0m\x1b[37m${'━'.repeat(14)}\x1b[0m 1s 200ms/step - loss: 0.3333`);
    expect(handles[1][4]).toMatch(/^Epoch 2\/2\n.*10\/10.* 2s 200ms\/step - loss: 0\.5000 - val_loss: 0\.2500$/);
  });

  it('updates a verbose 2 line in place in a notebook, ending with Keras\'s bar-less line', async () => {
    const handles: string[][] = [];
    const newHandle = (): DisplayHandle => {
      const updates: string[] = [];
      handles.push(updates);
      return { live: true, update: (b: MimeBundle) => void updates.push(String(b['text/plain'])) };
    };
    const clock = { t: 0 };
    const logger = new ProgressLogger({ mode: 'live', verbose: 2, intervalMs: 500, now: () => clock.t, newHandle });
    await drive(logger, 1, 10, 200, clock, { n: 0 });
    expect(handles).toHaveLength(1);
    expect(handles[0]).toHaveLength(5);
    expect(handles[0][1]).toBe(' 3/10 - ETA 1s - 200ms/step - loss: 0.3333');
    expect(handles[0][4]).toBe('10/10 - 2s - 200ms/step - loss: 0.5000 - val_loss: 0.2500');
  });

  it("adds the in-place bar by default (verbose 'auto') and refuses an unknown verbose", async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2], kernelInitializer: 'zeros' })] });
    compile(model, { optimizer: 'sgd', loss: 'mse' });
    const x = tf.ones([8, 2]);
    const y = tf.ones([8, 1]);
    const printed: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((m: unknown) => void printed.push(String(m)));
    try {
      const h = await fit(model, x, y, { epochs: 1, batchSize: 4 });
      expect(h.params.verbose).toBe(1);
      await fit(model, x, y, { epochs: 1, batchSize: 4, verbose: 'auto' });
      await expect(fit(model, x, y, { verbose: 3 as unknown as 1 })).rejects.toThrow(/verbose must be 'auto', 0, 1 or 2, got 3/);
    } finally {
      spy.mockRestore();
    }
    expect(printed).toHaveLength(2);
    for (const p of printed) expect(p).toMatch(new RegExp(`^2/2 ${BAR} \\d+s`));
    tf.dispose([x, y]);
    model.dispose();
  });

  it('is what fit prints with verbose 1 and 2, and evaluate with verbose 1', async () => {
    // Zero weights: the loss starts at 1 and stays in (1e-3, 10), where Keras prints 4 decimals
    // (a random start could print 12.3570 or 3.5060e-06).
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2], kernelInitializer: 'zeros' })] });
    compile(model, { optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
    const x = tf.ones([64, 2]);
    const y = tf.ones([64, 1]);
    const printed: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((m: unknown) => void printed.push(String(m)));
    try {
      await fit(model, x, y, { epochs: 2, verbose: 1, validationData: [x, y] });
      await fit(model, x, y, { epochs: 1, verbose: 2 });
      evaluate(model, x, y, { verbose: 1 });
    } finally {
      spy.mockRestore();
    }
    expect(printed).toHaveLength(6);
    expect(printed[0]).toBe('Epoch 1/2');
    expect(printed[1]).toMatch(new RegExp(`^2/2 ${BAR} \\d+s \\d+(ms|us|s)/step - loss: \\d\\.\\d{4} - mae: \\d\\.\\d{4} - val_loss: \\d\\.\\d{4} - val_mae: \\d\\.\\d{4}$`));
    expect(printed[2]).toBe('Epoch 2/2');
    expect(printed[4]).toMatch(/^2\/2 - \d+s - \d+(ms|us|s)\/step - loss: \d\.\d{4} - mae: \d\.\d{4}$/);
    expect(printed[5]).toMatch(new RegExp(`^2/2 ${BAR} \\d+s \\d+(ms|us|s)/step - loss: \\d\\.\\d{4} - mae: \\d\\.\\d{4}$`));
    tf.dispose([x, y]);
    model.dispose();
  });
});
