import * as http from 'node:http';
import { createHash } from 'node:crypto';
import type { Sandbox } from '../../../scripts/sandbox';
import { admin, credential, expectCloudError, rawClient, sandbox } from './helpers';
import { rawRpc } from '../../support/raw-rpc';

describe('sandbox signature checks through the official client', () => {
  let box: Sandbox;
  beforeAll(async () => {
    box = await sandbox();
  });
  afterAll(() => box.close());

  it('accepts a correct ACS3-HMAC-SHA256 request and answers with a RequestId', async () => {
    const body = await rawClient(box).call('ListServices', {});
    expect(body.RequestId).toMatch(/^[0-9A-F-]{36}$/);
    expect(body.Services).toEqual([]);
  });

  it('accepts a correct legacy HMAC-SHA1 request', async () => {
    const body = await rawClient(box, { signatureAlgorithm: 'v2' }).call('ListServices', {});
    expect(body.Services).toEqual([]);
    const last = (
      await admin<{ action: string; params: Record<string, string> }[]>(box, 'GET', '/_sandbox/calls')
    ).body.pop()!;
    expect(last.action).toBe('ListServices');
    expect(last.params).not.toHaveProperty('Signature');
    expect(last.params).not.toHaveProperty('AccessKeyId');
  });

  it.each([['ACS3-HMAC-SHA256' as const], ['v2' as const]])(
    'answers 400 SignatureDoesNotMatch to a wrong secret (%s)',
    async (algorithm) => {
      const client = rawClient(box, {
        signatureAlgorithm: algorithm,
        credential: credential({ accessKeyId: 'sandbox', accessKeySecret: 'wrong' }),
      });
      await expectCloudError(client.call('ListServices', {}), 'SignatureDoesNotMatch', 400);
    },
  );

  it.each([['ACS3-HMAC-SHA256' as const], ['v2' as const]])(
    'answers InvalidAccessKeyId.NotFound to an unknown key (%s)',
    async (algorithm) => {
      const client = rawClient(box, {
        signatureAlgorithm: algorithm,
        credential: credential({ accessKeyId: 'nobody', accessKeySecret: 'x' }),
      });
      await expectCloudError(client.call('ListServices', {}), 'InvalidAccessKeyId.NotFound', 404);
    },
  );

  it('rejects a request whose query was changed after signing', async () => {
    // Signs a real request with the SDK, then replays it with a different parameter.
    const captured = await capture(box);
    const tampered = captured.path.replace('MaxResults=5', 'MaxResults=6');
    const response = await send(box, tampered, captured.headers);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ Code: 'SignatureDoesNotMatch' });
    expect(typeof response.body.RequestId).toBe('string');
  });

  it('rejects a replayed nonce', async () => {
    const captured = await capture(box);
    const response = await send(box, captured.path, captured.headers);
    expect(response.body).toMatchObject({ Code: 'SignatureNonceUsed' });
  });

  it('answers an unknown action with 404 InvalidAction.NotFound', async () => {
    const call = rawRpc({
      url: box.url,
      credential: credential(),
      version: '2021-05-21',
      action: 'NoSuchAction',
    });
    await expectCloudError(call, 'InvalidAction.NotFound', 404);
  });

  it('answers an unsigned request with an error in the real shape', async () => {
    const response = await send(box, '/?RegionId=cn-hangzhou', {
      'x-acs-action': 'ListServices',
      'x-acs-version': '2021-05-21',
      'x-acs-content-sha256': createHash('sha256').update('').digest('hex'),
    });
    expect(response.status).toBe(400);
    expect(Object.keys(response.body).sort()).toEqual(['Code', 'HostId', 'Message', 'RequestId']);
  });
});

/** Runs one signed call through a recording proxy, so the test can replay its exact bytes. */
async function capture(box: Sandbox): Promise<{ path: string; headers: http.OutgoingHttpHeaders }> {
  let seen: { path: string; headers: http.OutgoingHttpHeaders } | undefined;
  const proxy = http.createServer((req, res) => {
    seen = { path: req.url!, headers: { ...req.headers } };
    const upstream = http.request(
      `${box.url}${req.url}`,
      { method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const port = (proxy.address() as { port: number }).port;
  try {
    await rawClient(box, { endpoint: `http://127.0.0.1:${port}` }).call('ListServices', { MaxResults: 5 });
  } finally {
    proxy.closeAllConnections();
    await new Promise((resolve) => proxy.close(resolve));
  }
  return seen!;
}

/** Sends raw bytes with the captured headers, `host` included (fetch would replace it). */
function send(
  box: Sandbox,
  path: string,
  headers: http.OutgoingHttpHeaders,
): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${box.url}${path}`, { method: 'POST', headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }),
      );
    });
    request.on('error', reject);
    request.end();
  });
}
