/** One background pass as the overview lists it. */
export interface PassEntry {
  name: 'teardown' | 'reconcile';
  /** When it ended, ISO-8601 on the hook's clock. */
  at: string;
  /** A one-line summary of what it did (counts only: never a secret). */
  summary: string;
  /** Set when the pass stopped without acting (the teardown guard) or failed. */
  problem?: string;
}

/**
 * The last passes of this hook process, newest first, kept in memory: the console's overview shows
 * them, and a restart starting with an empty list is harmless (the next pass fills it).
 */
export class PassLog {
  private readonly entries: PassEntry[] = [];
  constructor(private readonly keep = 20) {}

  add(entry: PassEntry): void {
    this.entries.unshift(entry);
    this.entries.length = Math.min(this.entries.length, this.keep);
  }

  recent(): PassEntry[] {
    return [...this.entries];
  }

  /** The newest teardown pass the guard stopped, unless a later teardown pass went through. */
  guardHold(): PassEntry | undefined {
    const last = this.entries.find((e) => e.name === 'teardown');
    return last?.problem ? last : undefined;
  }

  /** The hook's two passes, each recorded as it ends (same functions, same results). */
  tracking<
    P extends {
      teardownPass: () => Promise<Parameters<typeof describeTeardown>[0]>;
      reconcilePass: () => Promise<Parameters<typeof describeReconcile>[0]>;
    },
  >(now: () => Date, passes: P): P {
    return {
      ...passes,
      teardownPass: this.track('teardown', now, passes.teardownPass, describeTeardown),
      reconcilePass: this.track('reconcile', now, passes.reconcilePass, describeReconcile),
    };
  }

  /**
   * Records a pass's result as it resolves (and its failure, rethrown) without changing it: wraps the
   * function the hook exposes, so passes run by the loops, the demo and tests are all seen.
   */
  track<T>(
    name: PassEntry['name'],
    now: () => Date,
    run: () => Promise<T>,
    describe: (result: T) => { summary: string; problem?: string },
  ): () => Promise<T> {
    return async () => {
      try {
        const result = await run();
        this.add({ name, at: now().toISOString(), ...describe(result) });
        return result;
      } catch (error) {
        this.add({ name, at: now().toISOString(), summary: 'failed', problem: (error as Error).message });
        throw error;
      }
    };
  }
}

/** A teardown pass in one line: how many were due, how many started, and the guard's refusal. */
export function describeTeardown(r: { due: number; started: number; refused?: string }): {
  summary: string;
  problem?: string;
} {
  return {
    summary: `${r.due} due, ${r.started} teardowns started`,
    ...(r.refused ? { problem: `stopped by the teardown guard: ${r.refused}` } : {}),
  };
}

/** A reconcile pass in one line: what it saw and changed. */
export function describeReconcile(r: {
  seen: number;
  events: number;
  adopted: number;
  vanished: number;
  redriven: number;
  refused?: string;
}): { summary: string; problem?: string } {
  return {
    summary: `${r.seen} instances seen, ${r.events} events, ${r.adopted} adopted, ${r.vanished} vanished, ${r.redriven} effects re-run`,
    ...(r.refused ? { problem: `stopped by the guard: ${r.refused}` } : {}),
  };
}
