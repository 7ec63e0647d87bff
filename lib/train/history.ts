/**
 * The History callback `fit` always attaches and returns: per-epoch logs under Keras's keys
 * (loss, accuracy, val_loss, val_accuracy, learning_rate...), the epochs run, and the params.
 *
 * Usage:
 *   const h = await fit(model, x, y, { epochs: 10, validationSplit: 0.1 });
 *   h.history.val_accuracy.at(-1); h.params.steps; h.epoch; // [0, 1, ..., 9]
 */
import { Callback, Logs } from './callbacks';

/**
 * Records the logs of every epoch. `history[key][i]` is the value at the end of `epoch[i]`.
 *
 * Usage: `const h = new History(); // fit creates one and returns it`
 */
export class History extends Callback {
  /** Metric name to one value per epoch run. */
  history: Record<string, number[]> = {};
  /** The (0-based) epoch numbers run, in order. */
  epoch: number[] = [];

  override onTrainBegin(): void {
    this.epoch = [];
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    this.epoch.push(epoch);
    for (const [key, value] of Object.entries(logs)) {
      const series = this.history[key] ?? (this.history[key] = []);
      series.push(value);
    }
  }
}
