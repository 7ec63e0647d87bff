import { describe, expect, it } from 'vitest';
import { markdownTable, OUTPUT_LINE_WIDTH, wrapText } from '../lib/display';

describe('markdownTable', () => {
  it('aligns text left and numbers right, escapes pipes, refuses ragged rows', () => {
    const t = markdownTable(['model', 'accuracy', 'params'], [['MLP | wide', '0.8661', '266,610'], ['CNN', 0.9086, '**1,000**']]);
    expect(t.split('\n')).toEqual([
      '| model | accuracy | params |',
      '| :--- | ---: | ---: |',
      '| MLP \\| wide | 0.8661 | 266,610 |',
      '| CNN | 0.9086 | **1,000** |',
    ]);
    expect(markdownTable(['a', 'b'], [['x', '1']], { align: ['center', 'left'] }).split('\n')[1]).toBe('| :---: | :--- |');
    expect(() => markdownTable(['a', 'b'], [['x']])).toThrow('row 0 has 1 cells but the header has 2');
  });
});

describe('wrapText', () => {
  it('wraps long lines at spaces within the width, indenting continuations, and keeps short lines', () => {
    const long = 'Why: ' + Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
    const wrapped = wrapText(long, 50);
    for (const line of wrapped.split('\n')) expect(line.length).toBeLessThanOrEqual(50);
    expect(wrapped.split('\n').slice(1).every((l) => l.startsWith('  word'))).toBe(true);
    expect(wrapped.replace(/\n  /g, ' ')).toBe(long);
    expect(wrapText('short\nlines', 50)).toBe('short\nlines');
    expect(wrapText('x'.repeat(60), 50)).toBe('x'.repeat(60));
    expect(OUTPUT_LINE_WIDTH).toBe(110);
  });
});
