import { randomBytes } from 'node:crypto';
import { required } from './params';
import { write, type ActionContext, type ActionTable } from './registry';

/** Temporary credentials to put one file to the object store, valid one hour on the virtual clock. */
export const uploadActions: ActionTable = {
  GetUploadCredentials: write(getUploadCredentials),
};

export const UPLOAD_TTL_MS = 3600_000;

function getUploadCredentials({ core, params, caller }: ActionContext) {
  const fileName = required(params, 'FileName');
  const regionId = params.RegionId ?? 'cn-hangzhou';
  const key = {
    accessKeyId: `STS.${randomBytes(12).toString('hex')}`,
    accessKeySecret: randomBytes(20).toString('hex'),
    securityToken: `CAIS${randomBytes(24).toString('base64url')}`,
    // [I] One bucket per account; the key is unique per request and keeps the file name.
    bucket: `computenest-artifacts-${caller.accountId}`,
    key: `${caller.accountId}/${randomBytes(8).toString('hex')}/${fileName}`,
    expiresAtMs: core.now() + UPLOAD_TTL_MS,
  };
  core.state.uploadKeys[key.accessKeyId] = key;
  return {
    Data: {
      AccessKeyId: key.accessKeyId,
      AccessKeySecret: key.accessKeySecret,
      SecurityToken: key.securityToken,
      ExpireDate: core.iso(key.expiresAtMs),
      RegionId: regionId,
      BucketName: key.bucket,
      Key: key.key,
    },
  };
}
