/** What one submitted item came to: its own result or its own error, independent of its neighbours. */
export type Outcome<O> = { ok: true; value: O } | { ok: false; error: unknown };

export interface GroupCommitOptions {
  /** Batches in flight at once (each is one transaction on a connection of its own). */
  maxInFlight: number;
  /** Most items in one batch. */
  maxBatch: number;
  /**
   * Whether a failed batch's items are each tried again alone: true for an error one item can cause
   * (a constraint it breaks), so that it fails alone; false for one that would fail them all again (the
   * database is unreachable), so that nobody waits twice for it.
   */
  retryAlone: (error: unknown) => boolean;
}

interface Waiting<I, O> {
  item: I;
  settle: (outcome: Outcome<O>) => void;
}

/**
 * Group commit: items submitted while every slot is busy wait, and the next free slot takes all that
 * wait (up to `maxBatch`) as one batch. With one transaction per batch, a burst costs one durable commit
 * and a handful of round trips per batch instead of per item, and an idle store runs each item at once
 * (a slot is free), so waiting is only ever for a batch already in flight. Each item still settles only
 * when its batch has committed. Written here because the pooling libraries batch by time or size, and a
 * timer would add its delay to every answer at low load.
 */
export class GroupCommit<I, O> {
  private readonly waiting: Waiting<I, O>[] = [];
  private inFlight = 0;

  constructor(
    private readonly run: (batch: I[]) => Promise<Outcome<O>[]>,
    private readonly options: GroupCommitOptions,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({
        item,
        settle: (outcome) => (outcome.ok ? resolve(outcome.value) : reject(outcome.error)),
      });
      this.drain();
    });
  }

  private drain(): void {
    while (this.inFlight < this.options.maxInFlight && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.options.maxBatch);
      this.inFlight += 1;
      void this.runBatch(batch).finally(() => {
        this.inFlight -= 1;
        this.drain();
      });
    }
  }

  private async runBatch(batch: Waiting<I, O>[]): Promise<void> {
    try {
      const outcomes = await this.run(batch.map((w) => w.item));
      batch.forEach((w, i) => w.settle(outcomes[i]));
    } catch (error) {
      if (batch.length === 1 || !this.options.retryAlone(error)) {
        for (const w of batch) w.settle({ ok: false, error });
        return;
      }
      for (const w of batch) await this.runBatch([w]);
    }
  }
}
