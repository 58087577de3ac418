import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Credential, { Config as CredentialConfig } from '@alicloud/credentials';
import { synthesizeService } from '../../../cdk/service-app';
import { loadServiceConfig } from '../../../service-config/load';
import { renderFiles } from '../../../scripts/synth/render-files';
import { publishService, type PublishOptions, type PublishResult } from '../../../scripts/publish';
import { startSandbox, type Sandbox } from '../../../scripts/sandbox';
import { REPO_ROOT } from '../../support/model';

/** A copy of this repository's service description and templates in a temp folder, to change freely. */
export class Project {
  readonly root = mkdtempSync(join(tmpdir(), 'nestkit-publish-'));
  readonly config = join(this.root, 'service-config', 'service.yaml');

  constructor() {
    cpSync(join(REPO_ROOT, 'service-config'), join(this.root, 'service-config'), { recursive: true });
    this.synth();
  }

  /** Rewrites templates/ as `nestkit synth` would. */
  synth(): void {
    const model = loadServiceConfig(this.config);
    const dir = join(this.root, 'templates');
    mkdirSync(dir, { recursive: true });
    for (const [path, content] of renderFiles(model, synthesizeService(model)))
      writeFileSync(join(dir, path), content);
  }

  /** Edits service.yaml (a text replacement that must apply) and re-synthesizes unless told not to. */
  edit(from: string, to: string, synth = true): void {
    const text = readFileSync(this.config, 'utf8');
    if (!text.includes(from)) throw new Error(`service.yaml has no ${from}`);
    writeFileSync(this.config, text.replace(from, to));
    if (synth) this.synth();
  }

  template(file: string): string {
    return readFileSync(join(this.root, 'templates', file), 'utf8');
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

export const SANDBOX_KEY = { accessKeyId: 'sandbox', accessKeySecret: 'sandbox-secret' };

export function sandboxCredential(): Credential {
  return new Credential(new CredentialConfig({ type: 'access_key', ...SANDBOX_KEY }));
}

export function startBox(): Promise<Sandbox> {
  return startSandbox({ port: 0, startTime: '2026-01-01T00:00:00Z' });
}

/** publishService against the sandbox: no backoff sleeps, the review wait advances the virtual clock. */
export function publish(
  box: Sandbox,
  project: Project,
  extra: Partial<PublishOptions> = {},
): Promise<PublishResult> {
  return publishService({
    config: project.config,
    endpoint: box.url,
    credential: sandboxCredential(),
    retry: { sleep: async () => undefined },
    approval: { pollSeconds: 15, timeoutSeconds: 600, advance: (s) => box.advance(s) },
    ...extra,
  });
}

export interface LoggedCall {
  action: string;
  params: Record<string, string>;
  status: number;
  code?: string;
  requestId: string;
}

/** The sandbox's own call log (`GET /_sandbox/calls`), cleared afterwards when asked. */
export async function sandboxCalls(box: Sandbox, clear = false): Promise<LoggedCall[]> {
  const calls = (await (await fetch(`${box.url}/_sandbox/calls`)).json()) as LoggedCall[];
  if (clear) await fetch(`${box.url}/_sandbox/calls`, { method: 'DELETE' });
  return calls;
}

export async function addFault(box: Sandbox, fault: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${box.url}/_sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fault),
  });
  if (!response.ok) throw new Error(`fault refused: ${await response.text()}`);
}

/** The artifact reads a run makes before it plans, and while it waits for a build. */
export const ARTIFACT_READS = [
  'ListArtifacts',
  'ListArtifactVersions',
  'GetArtifact',
  'ListArtifactBuildLogs',
];
export const ARTIFACT_ACTIONS = new Set([
  ...ARTIFACT_READS,
  'CreateArtifact',
  'UpdateArtifact',
  'ReleaseArtifact',
]);
export const READS = new Set(['GetService', 'ListServices', 'GetServiceRegistration', ...ARTIFACT_READS]);
export const mutating = (calls: LoggedCall[]) => calls.filter((c) => !READS.has(c.action));
/** The calls of the service's own steps: the sample's artifact steps (tested in artifacts.test.ts) left out. */
export const serviceCalls = <T extends { action: string }>(calls: T[]) =>
  calls.filter((c) => !ARTIFACT_ACTIONS.has(c.action));

interface DeployMetadataView {
  TemplateConfigs: { Url: string }[];
  SupplierDeployMetadata?: { SupplierTemplateConfigs?: { Url: string }[] };
}

/** The template configs that deploy: SupplierTemplateConfigs for a managed service, else TemplateConfigs. */
export function deployable(metadata: DeployMetadataView): { Url: string }[] {
  return metadata.SupplierDeployMetadata?.SupplierTemplateConfigs ?? metadata.TemplateConfigs;
}

/** Every version of every service in the sandbox account, as the sandbox holds them. */
export function versionsOf(box: Sandbox) {
  return Object.values(box.core.state.services).flatMap((service) =>
    Object.values(service.versions).map((v) => ({
      serviceId: service.ServiceId,
      version: v.Version,
      versionName: v.VersionName,
      status: v.Status,
      deployMetadata: JSON.parse(String(v.fields.DeployMetadata ?? '{}')) as DeployMetadataView,
      commodity: v.Commodity,
    })),
  );
}

/** The template a version's DeployMetadata points at, read from the sandbox's object store. */
export async function templateOf(box: Sandbox, url: string): Promise<string> {
  const match = /^oss:\/\/([^/]+)\/([^?]+)/.exec(url);
  if (!match) throw new Error(`not an oss:// Url: ${url}`);
  const response = await fetch(`${box.url}/${match[1]}/${match[2]}`);
  return response.text();
}

/** A fresh sandbox and copy of the project for each test of the enclosing describe, closed after it. */
export function freshWorld(): { box: Sandbox; project: Project } {
  const world = {} as { box: Sandbox; project: Project };
  beforeEach(async () => {
    world.box = await startBox();
    world.project = new Project();
  });
  afterEach(async () => {
    await world.box.close();
    world.project.remove();
  });
  return world;
}
