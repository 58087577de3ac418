import { createHash } from 'node:crypto';
import { acs3CanonicalRequest, acs3Signature, rpcSignature, rpcStringToSign } from '../../../scripts/sandbox';

// compute-nest.md 5.3 and 5.4: fake key pair, fixed date and nonce.
const SECRET = 'DemoSecretDoNotUse0000000000000';
const DATE = '2025-01-15T08:00:00Z';
const NONCE = '3f2b6c1e-0d7a-4d6e-9a51-7c2f1e0b9a10';
const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

describe('ACS3-HMAC-SHA256 worked example (compute-nest.md 5.3)', () => {
  const canonical = acs3CanonicalRequest({
    method: 'POST',
    path: '/',
    query: {
      RegionId: 'cn-hangzhou',
      ServiceId: 'service-0123456789abcdef',
      ServiceVersion: 'draft',
      'Filter.1.Name': 'Status',
      'Filter.1.Value.1': 'Online',
    },
    headers: {
      host: 'computenestsupplier.cn-hangzhou.aliyuncs.com',
      'x-acs-action': 'GetService',
      'x-acs-content-sha256': EMPTY,
      'x-acs-date': DATE,
      'x-acs-signature-nonce': NONCE,
      'x-acs-version': '2021-05-21',
      'user-agent': 'not signed',
    },
    signedHeaders: [
      'host',
      'x-acs-action',
      'x-acs-content-sha256',
      'x-acs-date',
      'x-acs-signature-nonce',
      'x-acs-version',
    ],
    payloadHash: EMPTY,
  });

  it('builds the canonical request of the reference', () => {
    expect(canonical).toBe(
      [
        'POST',
        '/',
        'Filter.1.Name=Status&Filter.1.Value.1=Online&RegionId=cn-hangzhou&ServiceId=service-0123456789abcdef&ServiceVersion=draft',
        'host:computenestsupplier.cn-hangzhou.aliyuncs.com',
        'x-acs-action:GetService',
        `x-acs-content-sha256:${EMPTY}`,
        `x-acs-date:${DATE}`,
        `x-acs-signature-nonce:${NONCE}`,
        'x-acs-version:2021-05-21',
        '',
        'host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version',
        EMPTY,
      ].join('\n'),
    );
    expect(createHash('sha256').update(canonical).digest('hex')).toBe(
      '3468fedad82d824a976bcab74aae554ba91d863eb559bc27ad6abf6a4cf98c01',
    );
  });

  it('computes the signature of the reference', () => {
    expect(acs3Signature(SECRET, canonical)).toBe(
      '220fd8d316d22cde70eb2bf2d33776a4b8ea235df28b88e6bc8441fa4d21853b',
    );
  });

  it('changes the signature when one value changes', () => {
    expect(acs3Signature(SECRET, canonical.replace('draft', 'draft2'))).not.toBe(
      '220fd8d316d22cde70eb2bf2d33776a4b8ea235df28b88e6bc8441fa4d21853b',
    );
  });
});

describe('legacy HMAC-SHA1 worked example (compute-nest.md 5.4)', () => {
  const params = {
    Action: 'GetService',
    Format: 'json',
    Version: '2021-05-21',
    Timestamp: DATE,
    SignatureNonce: NONCE,
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    AccessKeyId: 'LTAI5tDEMOKEYID00000000',
    RegionId: 'cn-hangzhou',
    ServiceId: 'service-0123456789abcdef',
  };

  it('double-encodes the timestamp colon in the string to sign', () => {
    expect(rpcStringToSign('POST', params)).toContain('Timestamp%3D2025-01-15T08%253A00%253A00Z');
    expect(rpcStringToSign('POST', params).startsWith('POST&%2F&AccessKeyId%3D')).toBe(true);
  });

  it('computes the signature of the reference', () => {
    expect(rpcSignature(SECRET, 'POST', params)).toBe('yvF2mqiSCnwtWCJqUzymv5LbF4M=');
  });

  it('ignores the Signature parameter itself', () => {
    expect(rpcSignature(SECRET, 'POST', { ...params, Signature: 'anything' })).toBe(
      'yvF2mqiSCnwtWCJqUzymv5LbF4M=',
    );
  });
});
