import { CloudError } from '../../../scripts/cloud/errors';
import { MAX_RETRY_HINT_MS, retryHintMs } from '../../../scripts/cloud/retry';

const throttled = (message: string) => new CloudError('Throttling.User', message, 'req-1', 400);

describe('retryHintMs: the wait a throttling answer asks for, read from its message', () => {
  it.each([
    ['Request was denied due to user flow control. Please retry after 30 seconds.', 30_000],
    ['Retry-After: 30', 30_000],
    ['retry-after:12', 12_000],
    ['RETRY AFTER 2.5s', 2_500],
    ['retry after 10 sec', 10_000],
    ['retry after 1 second', 1_000],
    ['retry after 1500 ms', 1_500],
    ['retry after 250 milliseconds', 250],
    ['retry after 1 millisecond', 1],
    ['retry after 0 seconds', 0],
    ['retry after 2 minutes', 120_000],
    ['retry after 5 min', 300_000],
    ['retry after 1 minute', 60_000],
  ])('reads %j as %d ms', (message, ms) => {
    expect(retryHintMs(throttled(message))).toBe(ms);
  });

  it.each([
    'Request was denied due to user flow control.',
    'Please retry later.',
    'retry after a while',
    'The request processing has failed due to some unknown error.',
    '',
  ])('gives no hint for %j', (message) => {
    expect(retryHintMs(throttled(message))).toBeUndefined();
  });

  it('caps a hint at MAX_RETRY_HINT_MS, so one answer cannot park every job for days', () => {
    expect(retryHintMs(throttled('retry after 1000000000 seconds'))).toBe(MAX_RETRY_HINT_MS);
    expect(retryHintMs(throttled('retry after 15 minutes'))).toBe(MAX_RETRY_HINT_MS);
    expect(retryHintMs(throttled('retry after 14 minutes'))).toBe(14 * 60_000);
  });
});
