// The one-import entry point exposes each area's main API.
import { describe, expect, it } from 'vitest';
import * as lib from '../lib';

describe('lib/index', () => {
  it('re-exports every area', () => {
    const names = ['initBackend', 'setGlobalSeed', 'profileSizes', 'showHtml', 'loadFashionMnist', 'compile', 'fit', 'summary',
      'EarlyStopping', 'Nadam', 'initializer', 'confusionMatrix', 'showFigure', 'showImageGrid', 'registerMissingWasmKernels'];
    for (const n of names) expect(typeof (lib as Record<string, unknown>)[n], n).toBe('function');
  });
});
