import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sandbox } from '../../../scripts/sandbox';
import { REPO_ROOT } from '../../support/model';
import { addFault, freshWorld, mutating, Project, SANDBOX_KEY, sandboxCalls, versionsOf } from './project';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The built CLI in a child process. Asynchronous (not spawnSync): the sandbox answering it runs in this
 * process's event loop.
 */
function nestkit(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'nestkit.js'), ...args], {
      cwd: REPO_ROOT,
      env: defined({
        PATH: process.env.PATH,
        HOME: tmpdir(),
        NO_COLOR: '1',
        ALIBABA_CLOUD_ACCESS_KEY_ID: SANDBOX_KEY.accessKeyId,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: SANDBOX_KEY.accessKeySecret,
        ...env,
      }),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

function defined(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined));
}

describe('nestkit publish (the CLI)', () => {
  let box: Sandbox;
  let project: Project;
  const publishArgs = (...extra: string[]) => [
    'publish',
    '--config',
    project.config,
    '--endpoint',
    box.url,
    // The sample's artifact is built before the version: on the sandbox's clock, not the wall clock.
    '--sandbox-clock',
    ...extra,
  ];
  const world = freshWorld();
  beforeEach(() => ({ box, project } = world));

  it('--json prints serviceId, version, versionName, contentHash and the calls; exit 0', async () => {
    const run = await nestkit(publishArgs('--json'));
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({
      serviceId: expect.stringMatching(/^service-/),
      version: 'draft',
      versionName: expect.stringMatching(/^1\.4\.0-[0-9a-f]{8}$/),
      contentHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(result.calls.map((c: { action: string }) => c.action)).toContain('CreateService');
    expect(run.stderr).toMatch(/\[1\/6\] CreateArtifact: a new EcsImage artifact insight-image/);
    expect(run.stderr).toMatch(/\[4\/6\] upload standard\.template\.json/);
  });

  it('--dry-run prints each planned call and the diffs, and changes nothing', async () => {
    const run = await nestkit(publishArgs('--dry-run', '--launch'));
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/1\. CreateArtifact: a new EcsImage artifact insight-image/);
    expect(run.stdout).toMatch(/4\. upload standard\.template\.json/);
    expect(run.stdout).toMatch(/CreateService: a new service "Acme Insight Analytics"/);
    expect(run.stdout).toMatch(/LaunchService/);
    expect(run.stdout).toMatch(/\+ SpecificationMappings\.yuncode5012300001/);
    expect(run.stdout).toMatch(/no call that changes anything was made/);
    expect(mutating(await sandboxCalls(box))).toEqual([]);
  });

  it('--launch --sandbox-clock reaches Online, showing the review wait on stderr', async () => {
    const run = await nestkit(publishArgs('--launch', '--poll-interval', '20'));
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/in review: 1\.4\.0-[0-9a-f]{8} \(sr-[0-9a-f]+\) is Submitted/);
    expect(run.stdout).toMatch(/published 1\.4\.0-[0-9a-f]{8} → service-\S+ version 1 \(Online\)/);
    expect(versionsOf(box).map((v) => v.status)).toEqual(['Online']);
  });

  it('an API failure shows the code, message, RequestId and what to do; exit 1', async () => {
    await addFault(box, { kind: 'error', action: 'CreateService' });
    const run = await nestkit(publishArgs());
    expect(run.status).toBe(1);
    const failed = (await sandboxCalls(box)).filter((c) => c.action === 'CreateService').pop()!;
    expect(run.stderr).toContain(`CreateService failed: ServiceUnavailable:`);
    expect(run.stderr).toContain(`(RequestId ${failed.requestId})`);
    expect(run.stderr).toMatch(/what to do: .*run the same nestkit publish again/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('--json on failure prints the error with its RequestId and the calls made', async () => {
    await addFault(box, { kind: 'error', action: 'UpdateService' });
    const run = await nestkit(publishArgs('--json'));
    expect(run.status).toBe(1);
    const out = JSON.parse(run.stdout);
    expect(out.error).toMatchObject({
      code: 'ServiceUnavailable',
      action: 'UpdateService',
      requestId: expect.any(String),
    });
    expect(out.calls.map((c: { action: string }) => c.action)).toContain('CreateService');
  });

  it('--verbose lists every call and never a secret', async () => {
    const run = await nestkit(publishArgs('--verbose'));
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/CreateService .*ClientToken=nestkit-[0-9a-f]{32} → ok RequestId=/);
    const secrets = [
      SANDBOX_KEY.accessKeySecret,
      ...Object.values(box.core.state.uploadKeys).flatMap((k) => [k.accessKeySecret, k.securityToken]),
    ];
    expect(secrets.length).toBeGreaterThan(1);
    for (const secret of secrets) expect(run.stdout + run.stderr).not.toContain(secret);
  });

  it('says which credentials to set when none are configured, before any call', async () => {
    const run = await nestkit(publishArgs('--dry-run'), {
      ALIBABA_CLOUD_ACCESS_KEY_ID: undefined,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: undefined,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/CredentialsMissing: no usable Alibaba Cloud credentials/);
    expect(run.stderr).toMatch(/what to do: set ALIBABA_CLOUD_ACCESS_KEY_ID/);
    expect(await sandboxCalls(box)).toEqual([]);
  });

  it('a wrong secret is reported with the API code and RequestId, and the secret is not shown', async () => {
    const wrong = 'wrong-secret-0123456789';
    const run = await nestkit(publishArgs('--verbose'), { ALIBABA_CLOUD_ACCESS_KEY_SECRET: wrong });
    expect(run.status).toBe(1);
    // The artifact is read first, so its read is the one refused.
    expect(run.stderr).toMatch(/ListArtifacts failed: SignatureDoesNotMatch: .*\(RequestId [0-9A-F-]+\)/);
    expect(run.stderr).toMatch(/what to do: check the credentials/);
    expect(run.stdout + run.stderr).not.toContain(wrong);
  });

  it('refuses stale templates with exit 1 and the file named', async () => {
    project.edit('acme/insight:1.4.0', 'acme/insight:1.4.1', false);
    const run = await nestkit(publishArgs());
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/TemplatesStale: templates\/ differs from a fresh synth/);
    expect(run.stderr).toMatch(/templates\/standard\.template\.json: changed/);
    expect(await sandboxCalls(box)).toEqual([]);
  });

  it('--launch with --prelaunch is a usage error (exit 2)', async () => {
    const run = await nestkit(publishArgs('--launch', '--prelaunch'));
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/choose one of --launch and --prelaunch/);
  });
});
