import { hostname } from 'node:os';
import type { HookLogger } from '../hook/logger';
import type { HookStore } from '../hook/store/store';
import { maskText } from './mask';

/** The background passes the hook records, in the order one reconcile runs them (teardown on its own). */
export const PASS_NAMES = ['teardown', 'reconcile', 'licence', 'notifications'] as const;
export type PassName = (typeof PASS_NAMES)[number];

/** One finished background pass as the overview lists it: counts and reasons only, never a secret. */
export interface PassEntry {
  name: PassName;
  /** When it ended, ISO-8601 on the hook's clock. */
  at: string;
  /** The replica that ran it: host, process and its worker's lease owner (see `replicaLabel`). */
  replica: string;
  /** `held`: a guard stopped it without acting; `failed`: it threw. */
  outcome: 'done' | 'held' | 'failed';
  /** A one-line summary of what it did (counts only). */
  summary: string;
  /** The guard's reason (held) or the error (failed), secrets masked, cut to `MAX_PROBLEM` characters. */
  problem?: string;
}

/** The entries kept per pass: the overview shows at most this many of each, so a frequent pass cannot push the others out. */
export const KEEP_PER_PASS = 5;
export const MAX_PROBLEM = 300;

/** The setting that holds one pass's last entries (a JSON list, newest first; no table of its own). */
export const passSettingKey = (name: PassName) => `console-passes:${name}`;

/** How a replica is named on the overview: host, process id, and the start of its lease owner's id. */
export function replicaLabel(owner: string, host = hostname(), pid = process.pid): string {
  return `${host}:${pid}:${owner.replace(/^worker-/, '').slice(0, 8)}`;
}

/**
 * The last passes of the fleet, kept in the hook's store (`setting`, both engines): each replica
 * records the passes it runs, and every replica's console reads them all, after a restart too. One
 * setting per pass: a pass runs on one replica at a time (its lease), so two replicas never rewrite the
 * same list at once [I] (unless a pass outlives its lease, when one entry may be lost: harmless).
 */
export class PassLog {
  /** Writes of this process, one at a time per pass, so two of its own never race. */
  private readonly writing = new Map<PassName, Promise<void>>();

  constructor(
    private readonly store: Pick<HookStore, 'setting'>,
    readonly replica: string,
    private readonly log?: HookLogger,
  ) {}

  /** Adds an entry to its pass's list; a store that cannot commit loses it (logged), never the pass. */
  add(entry: Omit<PassEntry, 'replica'>): Promise<void> {
    const kept: PassEntry = { ...entry, replica: this.replica, ...problemOf(entry.problem) };
    const key = passSettingKey(entry.name);
    const write = (this.writing.get(entry.name) ?? Promise.resolve())
      .then(async () => {
        const list = parsePassList(await this.store.setting(key), entry.name);
        await this.store.setting(key, JSON.stringify(appendPass(list, kept)));
      })
      .catch((error: unknown) =>
        this.log?.warn({ pass: entry.name, error: (error as Error).message }, 'could not record a pass'),
      );
    this.writing.set(entry.name, write);
    return write;
  }

  /** Every replica's last passes, newest first (up to `KEEP_PER_PASS` of each). */
  async recent(): Promise<PassEntry[]> {
    const lists = await Promise.all(
      PASS_NAMES.map(async (name) => parsePassList(await this.store.setting(passSettingKey(name)), name)),
    );
    return mergePasses(lists);
  }

  /** The newest teardown pass, when the guard stopped it (a later pass that went through clears it). */
  async guardHold(): Promise<PassEntry | undefined> {
    return guardHoldOf(parsePassList(await this.store.setting(passSettingKey('teardown')), 'teardown'));
  }

  /**
   * Records a pass's result as it resolves (and its failure, rethrown) without changing it: wraps the
   * function the hook exposes, so passes run by the loops, the demo and tests are all seen.
   */
  track<T>(
    name: PassName,
    now: () => Date,
    run: () => Promise<T>,
    describe: (result: T) => { summary: string; problem?: string; held?: boolean },
  ): () => Promise<T> {
    return async () => {
      let result: T;
      try {
        result = await run();
      } catch (error) {
        const problem = (error as Error)?.message ?? String(error);
        await this.add({ name, at: now().toISOString(), outcome: 'failed', summary: 'failed', problem });
        throw error;
      }
      const { held, ...described } = describe(result);
      await this.add({ name, at: now().toISOString(), outcome: held ? 'held' : 'done', ...described });
      return result;
    };
  }
}

/** Pure: the list with `entry` first, at most `KEEP_PER_PASS` long. */
export function appendPass(list: PassEntry[], entry: PassEntry): PassEntry[] {
  return [entry, ...list].slice(0, KEEP_PER_PASS);
}

/** Pure: a kept list, read defensively: a value that is not one (an older or damaged one) is no pass. */
export function parsePassList(text: string | undefined, name: PassName): PassEntry[] {
  if (!text) return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(value)) return [];
  return value.filter((e): e is PassEntry => isEntry(e) && e.name === name).slice(0, KEEP_PER_PASS);
}

/**
 * Pure: every pass's list as one, newest first. Passes that ended at the same instant (a virtual clock
 * that did not move) are in the order a reconcile runs its parts, newest part first [I].
 */
export function mergePasses(lists: PassEntry[][]): PassEntry[] {
  const rank = (e: PassEntry) => PASS_NAMES.indexOf(e.name);
  return lists
    .flat()
    .map((entry, i) => ({ entry, i }))
    .sort((a, b) => b.entry.at.localeCompare(a.entry.at) || rank(b.entry) - rank(a.entry) || a.i - b.i)
    .map(({ entry }) => entry);
}

/** Pure: the guard's hold, from the teardown list: its newest entry, when the guard stopped that pass. */
export function guardHoldOf(teardowns: PassEntry[]): PassEntry | undefined {
  const last = teardowns.find((e) => e.outcome !== 'failed');
  return last?.outcome === 'held' ? last : undefined;
}

function problemOf(problem: string | undefined): { problem?: string } {
  if (!problem) return {};
  const one = maskText(problem).replace(/\s+/g, ' ').trim();
  return { problem: one.length <= MAX_PROBLEM ? one : `${one.slice(0, MAX_PROBLEM - 1)}…` };
}

function isEntry(e: unknown): e is PassEntry {
  const v = e as Partial<Record<keyof PassEntry, unknown>> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.name === 'string' &&
    typeof v.at === 'string' &&
    typeof v.replica === 'string' &&
    typeof v.summary === 'string' &&
    (v.outcome === 'done' || v.outcome === 'held' || v.outcome === 'failed') &&
    (v.problem === undefined || typeof v.problem === 'string')
  );
}

/** A teardown pass in one line: how many were due, how many started, and the guard's refusal. */
export function describeTeardown(r: { due: number; started: number; refused?: string }): {
  summary: string;
  problem?: string;
  held?: boolean;
} {
  return {
    summary: `${r.due} due, ${r.started} teardowns started`,
    ...(r.refused ? { problem: `stopped by the teardown guard: ${r.refused}`, held: true } : {}),
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
}): { summary: string; problem?: string; held?: boolean } {
  return {
    summary: `${r.seen} instances seen, ${r.events} events, ${r.adopted} adopted, ${r.vanished} vanished, ${r.redriven} effects re-run`,
    ...(r.refused ? { problem: `stopped by the guard: ${r.refused}`, held: true } : {}),
  };
}

/** The licence pass (licence-mode orders re-read from the Marketplace): the events it applied. */
export function describeLicence(events: number): { summary: string } {
  return { summary: `${events} licence events applied` };
}

/** The failed-notification pass (DescribeFailedNotifications): what it found and did. */
export function describeNotifications(r: {
  listed: number;
  applied: number;
  alreadyApplied: number;
  confirmed: number;
  left: number;
}): { summary: string } {
  return {
    summary: `${r.listed} missed notifications listed, ${r.applied} applied, ${r.alreadyApplied} applied before, ${r.confirmed} confirmed, ${r.left} left`,
  };
}
