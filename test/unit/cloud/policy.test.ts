import { createHmac } from 'node:crypto';
import { backoffDelay, isSafeToRepeat, isTransient } from '../../../scripts/cloud/retry';
import { CloudError, toCloudError } from '../../../scripts/cloud/errors';
import { parseEndpointUrl, resolveEndpoint } from '../../../scripts/cloud/endpoint';
import { encodeRequest } from '../../../scripts/cloud/encode';
import { API_MODELS } from '../../../scripts/api-models/model';
import { collectAll } from '../../../scripts/cloud/paging';
import { TokenBucket } from '../../../scripts/cloud/rate-limiter';
import { ossSignature } from '../../../scripts/cloud/oss-upload';

describe('retry policy', () => {
  it('treats reads and writes with a ClientToken as safe, other writes as unsafe', () => {
    expect(isSafeToRepeat('GetServiceInstance', {})).toBe(true);
    expect(isSafeToRepeat('ListServices', {})).toBe(true);
    expect(isSafeToRepeat('CreateServiceInstance', {})).toBe(false);
    expect(isSafeToRepeat('CreateServiceInstance', { ClientToken: 'x' })).toBe(true);
    expect(isSafeToRepeat('DeleteServiceInstances', { ClientToken: '' })).toBe(false);
  });

  it('retries throttling, 5xx and transport failures, not client errors', () => {
    expect(isTransient(new CloudError('Throttling.User', '', 'r', 400))).toBe(true);
    expect(isTransient(new CloudError('TooMany', '', 'r', 429))).toBe(true);
    expect(isTransient(new CloudError('InternalError', '', 'r', 503))).toBe(true);
    expect(isTransient(new CloudError('RequestTimeout', ''))).toBe(true);
    expect(isTransient(new CloudError('InvalidParameter', '', 'r', 400))).toBe(false);
  });

  it('backs off exponentially with full jitter, capped', () => {
    expect(backoffDelay(1, { baseDelayMs: 100, random: () => 0.999 })).toBe(99);
    expect(backoffDelay(3, { baseDelayMs: 100, random: () => 0.5 })).toBe(200);
    expect(backoffDelay(20, { baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.5 })).toBe(500);
    expect(backoffDelay(2, { random: () => 0 })).toBe(0);
  });

  it('reads the SDK error shape', () => {
    const error = toCloudError(
      {
        code: 'EntityNotExist.Service',
        message: 'code: 404, ...',
        data: { Code: 'EntityNotExist.Service', Message: 'gone', RequestId: 'R1', statusCode: 404 },
      },
      'GetService',
    );
    expect(error).toMatchObject({
      code: 'EntityNotExist.Service',
      message: 'gone',
      requestId: 'R1',
      status: 404,
      action: 'GetService',
    });
    expect(
      toCloudError(Object.assign(new Error('ReadTimeout(100)'), { name: 'RequestTimeoutError' }), 'X'),
    ).toMatchObject({ code: 'RequestTimeout', status: undefined });
  });
});

describe('endpoints', () => {
  it('follows the public rule per product and region', () => {
    expect(resolveEndpoint('supplier', 'cn-hangzhou', '')).toEqual({
      protocol: 'https',
      endpoint: 'computenestsupplier.cn-hangzhou.aliyuncs.com',
      overridden: false,
    });
    expect(resolveEndpoint('user', 'ap-southeast-1', '').endpoint).toBe(
      'computenest.ap-southeast-1.aliyuncs.com',
    );
    expect(resolveEndpoint('market', 'cn-beijing', '').endpoint).toBe('market.aliyuncs.com');
  });

  it('parses an override URL into protocol and host:port', () => {
    expect(resolveEndpoint('supplier', 'cn-hangzhou', 'http://127.0.0.1:8900')).toEqual({
      protocol: 'http',
      endpoint: '127.0.0.1:8900',
      overridden: true,
    });
    expect(parseEndpointUrl('https://gateway.example.com')).toEqual({
      protocol: 'https',
      endpoint: 'gateway.example.com',
    });
    // Without a scheme: refused with the fix, not guessed (a sandbox speaks http, a guess of https fails later).
    expect(() => parseEndpointUrl('127.0.0.1:8900')).toThrow(
      /has no scheme: write http:\/\/127\.0\.0\.1:8900/,
    );
    expect(() => parseEndpointUrl('ftp://x')).toThrow(/http or https/);
    expect(() => parseEndpointUrl('http://x/path')).toThrow(/path/);
  });
});

describe('parameter encoding', () => {
  const actions = API_MODELS.supplier.actions;

  it('flattens lists and structs and sends the fields the model calls json as JSON strings', () => {
    expect(
      encodeRequest(actions.UpdateService, {
        ServiceId: 's',
        ServiceInfo: [{ Locale: 'en-US', Name: 'n' }],
        Commodity: { SpecificationMappings: [] },
        DeployMetadata: '{"x":1}',
        Skip: undefined,
      }),
    ).toEqual({
      query: {
        ServiceId: 's',
        'ServiceInfo.1.Locale': 'en-US',
        'ServiceInfo.1.Name': 'n',
        Commodity: '{"SpecificationMappings":[]}',
        DeployMetadata: '{"x":1}',
      },
      body: {},
    });
    expect(
      encodeRequest(actions.ListServiceInstances, {
        Filter: [{ Name: 'ServiceId', Value: ['a', 'b'] }],
        Tag: [{ Key: 'k', Value: 'v' }],
      }).query,
    ).toEqual({
      'Filter.1.Name': 'ServiceId',
      'Filter.1.Value.1': 'a',
      'Filter.1.Value.2': 'b',
      'Tag.1.Key': 'k',
      'Tag.1.Value': 'v',
    });
    expect(encodeRequest(actions.DeleteServiceInstances, { ServiceInstanceId: ['a', 'b'] }).query).toEqual({
      'ServiceInstanceId.1': 'a',
      'ServiceInstanceId.2': 'b',
    });
  });

  it('puts a field the model places in the body into the form body', () => {
    const model = {
      method: 'POST' as const,
      authType: 'AK',
      request: [
        { name: 'A', type: 'string' as const, in: 'query' as const, style: 'plain' as const },
        {
          name: 'B',
          type: 'map' as const,
          in: 'body' as const,
          style: 'json' as const,
          valueType: 'any' as const,
        },
      ],
      response: [],
    };
    expect(encodeRequest(model, { A: 'a', B: { x: 1 } })).toEqual({
      query: { A: 'a' },
      body: { B: '{"x":1}' },
    });
  });
});

describe('paging', () => {
  it('follows NextToken to the end and refuses a repeated token', async () => {
    const pages: Record<string, { items: number[]; nextToken?: string }> = {
      '': { items: [1, 2], nextToken: 'a' },
      a: { items: [3], nextToken: 'b' },
      b: { items: [] },
    };
    expect(await collectAll(async (token) => pages[token ?? ''])).toEqual([1, 2, 3]);
    await expect(collectAll(async () => ({ items: [1], nextToken: 'same' }))).rejects.toThrow(/repeated/);
  });
});

describe('token bucket', () => {
  it('lets a burst through, then one call per 1/rate seconds of (fake) time', async () => {
    let now = 0;
    const slept: number[] = [];
    const bucket = new TokenBucket({
      ratePerSecond: 4,
      burst: 2,
      now: () => now,
      sleep: async (ms) => void (slept.push(ms), (now += ms)),
    });
    for (let i = 0; i < 6; i++) await bucket.acquire();
    expect(now).toBe(1000);
    expect(slept).toEqual([250, 250, 250, 250]);
  });
});

describe('OSS signature', () => {
  it('signs verb, MD5, type, date, the sorted lower-case x-oss headers and the resource', () => {
    const headers = {
      'Content-MD5': 'eB5eJF1ptWaXm4bijSPyxw==',
      'Content-Type': 'text/html',
      Date: 'Thu, 17 Nov 2005 18:49:58 GMT',
      'X-OSS-Meta-Author': 'foo@bar.com',
      'X-OSS-Magic': 'abracadabra',
    };
    const stringToSign =
      'PUT\neB5eJF1ptWaXm4bijSPyxw==\ntext/html\nThu, 17 Nov 2005 18:49:58 GMT\nx-oss-magic:abracadabra\nx-oss-meta-author:foo@bar.com\n/oss-example/nelson';
    const expected = createHmac('sha1', 'secret').update(stringToSign).digest('base64');
    expect(ossSignature('PUT', headers, '/oss-example/nelson', 'secret')).toBe(expected);
    expect(ossSignature('PUT', headers, '/oss-example/other', 'secret')).not.toBe(expected);
  });
});
