import * as tf from '@tensorflow/tfjs';
import { describe, expect, it, vi } from 'vitest';
import { decodePng, escapeHtml, imageRowsHtml, imageTilesHtml, showImageGrid, showImageRows } from '../lib/images';

/** The PNGs of all data-URI <img> tags in an HTML string, decoded. */
function imgs(html: string): Array<{ width: number; height: number; rgba: Uint8Array; attrs: string }> {
  return [...html.matchAll(/<img src="data:image\/png;base64,([^"]+)"([^>]*)>/g)].map((m) => ({
    ...decodePng(new Uint8Array(Buffer.from(m[1], 'base64'))),
    attrs: m[2],
  }));
}

describe('imageTilesHtml', () => {
  it('makes one captioned, scaled tile per image in rows of `cols`', () => {
    const images = new Float32Array(5 * 4).map((_, i) => (i % 4) / 3); // five 2x2 images, values 0..1
    const html = imageTilesHtml(images, { height: 2, width: 2, scale: 3, cols: 2, titles: ['a', 'b<c', 'c', 'd'] });
    const tiles = imgs(html);
    expect(tiles.length).toBe(5);
    expect(tiles.every((t) => t.width === 6 && t.height === 6)).toBe(true);
    expect(tiles[0].attrs).toContain('width="6" height="6"');
    expect((html.match(/<tr /g) ?? []).length).toBe(3);
    expect(html).toContain('>b&lt;c</div>'); // escaped caption
    expect((html.match(/<div style="font:11px/g) ?? []).length).toBe(4); // 5th image has no caption
    // pixel (0,0) of each tile is 0 -> black, pixel (1,1) is 1 -> white; after 3x scaling (5,5) is white.
    expect(tiles[0].rgba[0]).toBe(0);
    expect(tiles[0].rgba[(5 * 6 + 5) * 4]).toBe(255);
  });
});

describe('imageRowsHtml', () => {
  it('draws each labelled row as one strip', () => {
    const original = tf.fill([3, 2, 2], 1);
    const noisy = tf.fill([3, 2, 2], 0.5);
    const html = imageRowsHtml({ original, noisy }, { scale: 2, gap: 1 });
    const strips = imgs(html);
    expect(strips.map((s) => [s.width, s.height])).toEqual([[14, 4], [14, 4]]); // 3 tiles of 4 px + 2 gaps
    expect(html).toMatch(/<th[^>]*>original<\/th>.*<th[^>]*>noisy<\/th>/s);
    expect(strips[1].rgba[0]).toBe(128);
    expect(() => imageRowsHtml({})).toThrow(/no rows given/);
    tf.dispose([original, noisy]);
  });
});

describe('showImageGrid / showImageRows outside a notebook', () => {
  it('print a one-line description', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      showImageGrid(new Uint8Array(12 * 9), { height: 3, width: 3, cols: 4, title: 'digits' });
      showImageRows({ original: new Uint8Array(18), reconstructed: new Uint8Array(18) }, { height: 3, width: 3 });
      expect(log.mock.calls.map((c) => c[0])).toEqual([
        'digits: image grid, 12 images 3x3x1 (3x4)',
        'image rows: original (2), reconstructed (2)',
      ]);
    } finally {
      log.mockRestore();
    }
  });
});

describe('escapeHtml', () => {
  it('escapes markup and quotes', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
