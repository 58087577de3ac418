import { GroupCommit, type Outcome } from '../../../scripts/hook/store/group-commit';

/** A batch runner the test finishes by hand: every call is recorded with a way to settle it. */
function manualRunner() {
  const calls: { batch: string[]; finish(outcomes?: Outcome<string>[]): void; fail(error: unknown): void }[] =
    [];
  const run = (batch: string[]) =>
    new Promise<Outcome<string>[]>((resolve, reject) => {
      calls.push({
        batch,
        finish: (outcomes) => resolve(outcomes ?? batch.map((item) => ({ ok: true, value: `done ${item}` }))),
        fail: reject,
      });
    });
  return { calls, run };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));
const settled = <T>(p: Promise<T>) =>
  p.then(
    (value) => ({ value }),
    (error: Error) => ({ error: error.message }),
  );

describe('GroupCommit', () => {
  it('runs an item at once while a slot is free, and batches what waits while every slot is busy', async () => {
    const { calls, run } = manualRunner();
    const group = new GroupCommit(run, { maxInFlight: 2, maxBatch: 3, retryAlone: () => false });
    const results = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((item) => group.submit(item));
    expect(calls.map((c) => c.batch)).toEqual([['a'], ['b']]);
    calls[0].finish();
    await tick();
    // The freed slot takes what waited, up to maxBatch; the rest waits for the next free slot.
    expect(calls.map((c) => c.batch)).toEqual([['a'], ['b'], ['c', 'd', 'e']]);
    calls[1].finish();
    await tick();
    expect(calls[3].batch).toEqual(['f', 'g']);
    calls[2].finish();
    calls[3].finish();
    await expect(Promise.all(results)).resolves.toEqual(
      ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((i) => `done ${i}`),
    );
  });

  it('settles each item with its own outcome', async () => {
    const { calls, run } = manualRunner();
    const group = new GroupCommit(run, { maxInFlight: 1, maxBatch: 10, retryAlone: () => false });
    const first = group.submit('x');
    const rest = ['y', 'z'].map((item) => settled(group.submit(item)));
    calls[0].finish();
    await first;
    await tick();
    calls[1].finish([
      { ok: false, error: new Error('y is refused') },
      { ok: true, value: 'z applied' },
    ]);
    expect(await Promise.all(rest)).toEqual([{ error: 'y is refused' }, { value: 'z applied' }]);
  });

  it('tries each item of a failed batch alone when one item may have caused it', async () => {
    const { calls, run } = manualRunner();
    const group = new GroupCommit(run, {
      maxInFlight: 1,
      maxBatch: 10,
      retryAlone: (e) => e === 'constraint',
    });
    const first = group.submit('p');
    const rest = ['q', 'r', 's'].map((item) => settled(group.submit(item)));
    calls[0].finish();
    await first;
    await tick();
    calls[1].fail('constraint');
    for (const item of ['q', 'r', 's']) {
      await tick();
      const call = calls[calls.length - 1];
      expect(call.batch).toEqual([item]);
      if (item === 'r') call.fail(new Error('r breaks the constraint'));
      else call.finish();
    }
    expect(await Promise.all(rest)).toEqual([
      { value: 'done q' },
      { error: 'r breaks the constraint' },
      { value: 'done s' },
    ]);
  });

  it("fails every item of a batch at once when the error is not one item's (the database is gone)", async () => {
    const { calls, run } = manualRunner();
    const group = new GroupCommit(run, { maxInFlight: 1, maxBatch: 10, retryAlone: () => false });
    const first = group.submit('p');
    const rest = ['q', 'r'].map((item) => settled(group.submit(item)));
    calls[0].finish();
    await first;
    await tick();
    calls[1].fail(new Error('connection terminated'));
    expect(await Promise.all(rest)).toEqual([
      { error: 'connection terminated' },
      { error: 'connection terminated' },
    ]);
    expect(calls).toHaveLength(2);
  });
});
