import { CloudError } from '../cloud';
import { formatDiff } from './json-diff';
import { PublishError } from './errors';
import type { PublishResult } from './index';
import { PublishConflict } from './plan';

/** An error as publish reports it: the API's code, message and RequestId, and what to do next. */
export interface ErrorReport {
  code: string;
  message: string;
  action?: string;
  requestId?: string;
  hint: string;
  details: string[];
}

export function describeError(error: unknown): ErrorReport | undefined {
  if (error instanceof CloudError)
    return {
      code: error.code,
      message: error.message,
      action: error.action,
      requestId: error.requestId,
      hint: cloudHint(error),
      details: [],
    };
  if (error instanceof PublishError)
    return { code: error.code, message: error.message, hint: error.hint, details: error.details };
  if (error instanceof PublishConflict)
    return { code: error.code, message: error.message, hint: 'see above', details: [] };
  return undefined;
}

const RESUME =
  'run the same nestkit publish again: it reads what is already done and resumes, without a second service or version';

function cloudHint(error: CloudError): string {
  const code = error.code;
  if (code.startsWith('Throttling') || error.status === 429)
    return 'the API is throttling this account; wait a minute, then run the same nestkit publish again (it resumes)';
  if (/^(InvalidAccessKeyId|SignatureDoesNotMatch|InvalidSecurityToken|IncompleteSignature)/.test(code))
    return 'check the credentials: ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET, or the OIDC role variables (scripts/publish/README.md)';
  if (/^(Forbidden|NoPermission)/.test(code) || error.status === 403)
    return `grant the RAM user or role computenestsupplier:${error.action ?? '<action>'} (scripts/publish/README.md lists what publishing needs)`;
  if (/^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ECONNRESET)$/.test(code))
    return 'the endpoint did not answer: check --endpoint / NESTKIT_ENDPOINT (a sandbox must be running) and the network, then publish again (it resumes)';
  if (error.status === undefined || error.status >= 500) return `a server or network failure; ${RESUME}`;
  if (code.startsWith('EntityNotExist'))
    return 'the service or version no longer exists; check service.id in service.yaml';
  return 'fix what the message says and publish again; quote the RequestId if you contact Alibaba Cloud support';
}

export function formatError(report: ErrorReport): string {
  const where = report.action ? `${report.action} failed: ` : '';
  const id = report.requestId ? ` (RequestId ${report.requestId})` : '';
  const lines = [`${where}${report.code}: ${report.message}${id}`];
  lines.push(...report.details.map((d) => `  ${d}`));
  if (report.hint !== 'see above') lines.push(`  what to do: ${report.hint}`);
  return lines.join('\n');
}

/** The human summary of a run (stdout). */
export function formatResult(result: PublishResult): string {
  const lines: string[] = [];
  const target = result.serviceId ?? `a new service`;
  const mutating = result.calls.filter((c) => c.mutating).length;
  if (result.dryRun) {
    lines.push(`dry run: ${result.versionName} (content ${result.contentHash.slice(0, 12)}) → ${target}`);
    lines.push(planLines(result));
    lines.push(...diffLines(result));
    lines.push(`no call that changes anything was made (${plural(result.calls.length, 'read call')})`);
  } else if (result.plan.length === 0) {
    lines.push(
      `up to date: ${target} version ${result.version} (${result.status}) already holds ${result.versionName}`,
    );
    lines.push(`${plural(result.calls.length, 'read call')}, nothing changed`);
  } else {
    lines.push(`published ${result.versionName} → ${target} version ${result.version} (${result.status})`);
    lines.push(`${result.calls.length} API calls, ${mutating} of them changing the cloud`);
  }
  if (result.foundBy !== 'id' && result.serviceId)
    lines.push(`tip: set service.id: ${result.serviceId} in service.yaml so publish finds it by id`);
  return `${lines.join('\n')}\n`;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function planLines(result: PublishResult): string {
  if (result.plan.length === 0) return 'plan: nothing to do';
  return ['plan:', ...result.plan.map((s, i) => `  ${i + 1}. ${s.description}`)].join('\n');
}

function diffLines(result: PublishResult): string[] {
  const against = result.diff.against ? `version ${result.diff.against}` : 'nothing (new service)';
  const section = (title: string, lines: ReturnType<typeof formatDiff>) =>
    lines.length === 0
      ? [`${title} against ${against}: no change`]
      : [`${title} against ${against}:`, ...lines.map((l) => `  ${l}`)];
  return [
    ...section('DeployMetadata', formatDiff(result.diff.deployMetadata)),
    ...section('SKU mappings', formatDiff(result.diff.mappings)),
  ];
}
