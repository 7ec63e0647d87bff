import { describe, expect, it } from 'vitest';
import { markdownTable } from '../lib/display';

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
