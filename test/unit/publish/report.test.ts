import { CloudError } from '../../../scripts/cloud';
import { shownParams } from '../../../scripts/publish/calls';
import { clientToken } from '../../../scripts/publish/client-token';
import { PublishError } from '../../../scripts/publish/errors';
import { describeError, formatError } from '../../../scripts/publish/report';

describe('client tokens', () => {
  it('are stable for one intent and differ by content, step and the state they start from', () => {
    const token = clientToken('a'.repeat(64), 'CreateService', 'service-1', '2026-01-01T00:00:00Z/x');
    expect(token).toMatch(/^nestkit-[0-9a-f]{32}$/);
    expect(token.length).toBeLessThanOrEqual(64);
    expect(clientToken('a'.repeat(64), 'CreateService', 'service-1', '2026-01-01T00:00:00Z/x')).toBe(token);
    expect(clientToken('b'.repeat(64), 'CreateService', 'service-1', '2026-01-01T00:00:00Z/x')).not.toBe(
      token,
    );
    expect(clientToken('a'.repeat(64), 'UpdateService', 'service-1', '2026-01-01T00:00:00Z/x')).not.toBe(
      token,
    );
    expect(clientToken('a'.repeat(64), 'CreateService', 'service-1', '2026-01-01T00:00:05Z/x')).not.toBe(
      token,
    );
  });
});

describe('what publish shows of a call', () => {
  it('keeps identifying parameters and drops metadata and anything else', () => {
    expect(
      shownParams({
        ServiceId: 'service-1',
        ServiceVersion: 'draft',
        ClientToken: 'nestkit-1',
        DeployMetadata: { TemplateConfigs: [] },
        AccessKeySecret: 'never',
        Commodity: {},
      }),
    ).toEqual({ ServiceId: 'service-1', ServiceVersion: 'draft', ClientToken: 'nestkit-1' });
  });
});

describe('error reports', () => {
  const cloud = (code: string, status: number | undefined, action = 'CreateService') =>
    describeError(new CloudError(code, 'the message', 'REQ-1', status, action))!;

  it('name the API code, message, RequestId and action', () => {
    const text = formatError(cloud('ServiceUnavailable', 503));
    expect(text).toContain('CreateService failed: ServiceUnavailable: the message (RequestId REQ-1)');
    expect(text).toMatch(/what to do: .*resumes/);
  });

  it('say what to do for each kind of failure', () => {
    expect(cloud('Throttling.User', 429).hint).toMatch(/throttling/);
    expect(cloud('InvalidAccessKeyId.NotFound', 404).hint).toMatch(/ALIBABA_CLOUD_ACCESS_KEY_ID/);
    expect(cloud('Forbidden.RAM', 403, 'RegisterService').hint).toMatch(
      /computenestsupplier:RegisterService/,
    );
    expect(cloud('RequestTimeout', undefined).hint).toMatch(/network/);
    expect(cloud('EntityNotExist.Service', 404).hint).toMatch(/service\.id/);
    expect(cloud('InvalidParameter', 400).hint).toMatch(/RequestId/);
  });

  it('list the details of a refusal under its message', () => {
    const report = describeError(
      new PublishError('LintErrors', 'nestkit lint found 1 error', 'fix them', 1, [
        'a.yaml:1:1 parse-error x',
      ]),
    )!;
    expect(formatError(report)).toBe(
      'LintErrors: nestkit lint found 1 error\n  a.yaml:1:1 parse-error x\n  what to do: fix them',
    );
    expect(describeError(new Error('bug'))).toBeUndefined();
  });
});
