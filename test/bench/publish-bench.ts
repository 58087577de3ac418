import { join } from 'node:path';
import Credential, { Config as CredentialConfig } from '@alicloud/credentials';
import { publishService, type PublishGoal } from '../../scripts/publish';
import { startSandbox, type Sandbox } from '../../scripts/sandbox';
import { median, REPO_ROOT, round, type Figure } from './measure';

const CONFIG = join(REPO_ROOT, 'service-config', 'service.yaml');
const READS = new Set([
  'GetService',
  'ListServices',
  'GetServiceRegistration',
  // The sample's artifact: found by name with its versions, and followed while it builds.
  'ListArtifacts',
  'ListArtifactVersions',
  'GetArtifact',
  'ListArtifactBuildLogs',
]);

interface Logged {
  action: string;
}

/**
 * API calls and wall time of publishing the sample service to an in-process sandbox: a first publish,
 * a re-run with nothing changed (target: no mutating call, at most 5 reads: 2 of the service, 2 of the
 * sample's artifact), and a first publish
 * through review to Online (the review wait advances the virtual clock).
 */
export async function benchPublish(options: { runs?: number } = {}): Promise<Figure[]> {
  const runs = options.runs ?? 5;
  const first: number[] = [];
  const noop: number[] = [];
  let firstCalls: Logged[] = [];
  let noopCalls: Logged[] = [];
  for (let i = 0; i < runs; i++) {
    const box = await startSandbox({ port: 0 });
    try {
      first.push(await timed(() => publish(box, 'draft')));
      firstCalls = await calls(box, true);
      noop.push(await timed(() => publish(box, 'draft')));
      noopCalls = await calls(box, true);
    } finally {
      await box.close();
    }
  }
  const launch = await launchCalls();
  const noopMutating = noopCalls.filter((c) => !READS.has(c.action)).length;
  return [
    { name: 'publish: API calls of a first publish (draft)', value: firstCalls.length, unit: 'calls' },
    { name: 'publish: API calls of a first publish --launch', value: launch, unit: 'calls' },
    {
      name: 'publish: mutating calls of a no-op re-run',
      value: noopMutating,
      unit: 'calls',
      target: '0',
      ok: noopMutating === 0,
    },
    {
      name: 'publish: read calls of a no-op re-run',
      value: noopCalls.length - noopMutating,
      unit: 'calls',
      target: '<= 5',
      ok: noopCalls.length - noopMutating <= 5,
    },
    {
      name: 'publish: wall time of a first publish incl. synth check and lint (median)',
      value: round(median(first)),
      unit: 's',
    },
    { name: 'publish: wall time of a no-op re-run (median)', value: round(median(noop)), unit: 's' },
  ];
}

function publish(box: Sandbox, goal: PublishGoal) {
  return publishService({
    config: CONFIG,
    goal,
    endpoint: box.url,
    credential: new Credential(
      new CredentialConfig({ type: 'access_key', accessKeyId: 'sandbox', accessKeySecret: 'sandbox-secret' }),
    ),
    approval: { advance: (s) => box.advance(s) },
  });
}

async function launchCalls(): Promise<number> {
  const box = await startSandbox({ port: 0 });
  try {
    await publish(box, 'launch');
    return (await calls(box, false)).length;
  } finally {
    await box.close();
  }
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function calls(box: Sandbox, clear: boolean): Promise<Logged[]> {
  const list = (await (await fetch(`${box.url}/_sandbox/calls`)).json()) as Logged[];
  if (clear) await fetch(`${box.url}/_sandbox/calls`, { method: 'DELETE' });
  return list;
}

if (require.main === module) {
  benchPublish().then((results) => console.table(results));
}
