import { describe, expect as want, it, vi } from 'vitest';
import { AnswerWrong, VERDICT_MIME, close, describeValue, expect as expectAnswer, expectFunction, expectNumber, need, runCheck } from '../lib/exercises';

describe('runCheck', () => {
  it('reports passed, missing and wrong answers and never throws', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const ok = await runCheck('01.1', 'ok', () => { expectAnswer(1 + 1 === 2, 'never'); });
    want(ok).toMatchObject({ exercise: '01.1', status: 'passed', passed: true, message: '' });
    const missing = await runCheck('01.2', 'missing', () => { need(undefined, 'model', 'a tf.Sequential'); });
    want(missing.status).toBe('missing');
    want(missing.message).toContain('`model` is not set yet: expected a tf.Sequential');
    const wrong = await runCheck('01.3', 'wrong', () => { expectAnswer(false, 'params is 12', 'count the biases'); });
    want(wrong).toMatchObject({ status: 'wrong', passed: false, message: 'params is 12', hint: 'count the biases' });
    const threw = await runCheck('01.4', 'threw', () => { throw new TypeError('x.map is not a function'); });
    want(threw.status).toBe('wrong');
    want(threw.message).toContain('x.map is not a function');
    const asyncWrong = await runCheck('01.5', 'async', async () => { await Promise.resolve(); throw new AnswerWrong('late'); });
    want(asyncWrong.message).toBe('late');
    const printed = log.mock.calls.map((c) => String(c[0]));
    log.mockRestore();
    want(printed[0]).toBe('Exercise 01.1 (ok): passed');
    want(printed[2]).toBe('Exercise 01.3 (wrong): not yet - params is 12\n  hint: count the biases');
    want(VERDICT_MIME).toBe('application/vnd.tsdl.verdict+json');
  });

  it('value helpers say what they got', () => {
    want(() => expectNumber('3', 'n')).toThrow('`n` should be a finite number, but it is the string "3"');
    want(() => expectNumber(NaN, 'n')).toThrow('the number NaN');
    want(expectNumber(3, 'n')).toBe(3);
    want(() => expectFunction(3, 'f')).toThrow('`f` should be a function, but it is the number 3');
    want(() => expectFunction((a: number) => a, 'f', 2)).toThrow('takes 1 argument(s); the exercise asks for 2');
    want(describeValue({ shape: [2, 3] })).toBe('a tensor of shape [2, 3]');
    want(describeValue([1, 2])).toBe('an array of length 2');
    want(close(1, 1 + 1e-7)).toBe(true);
    want(close(1, 1.1)).toBe(false);
  });
});
