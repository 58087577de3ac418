import Credential, { Config as CredentialConfig } from '@alicloud/credentials';
import { CloudClient, type CloudClientOptions } from '../../../scripts/cloud/client';
import { createSupplierApi, type SupplierApi } from '../../../scripts/cloud/supplier';
import type { SupplierActions } from '../../../scripts/cloud/supplier-types';
import { createUserApi } from '../../../scripts/cloud/user';
import { uploadToOss } from '../../../scripts/cloud/oss-upload';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../../scripts/sandbox';

export const KEY = { accessKeyId: 'sandbox', accessKeySecret: 'sandbox-secret' };
export const CUSTOMER = {
  accessKeyId: 'customer',
  accessKeySecret: 'customer-secret',
  accountId: '1234567890123456',
};

/** A RAM user's key of the sandbox key's account (the Market licence calls may refuse it). */
export const RAM_USER = {
  accessKeyId: 'ram-user',
  accessKeySecret: 'ram-user-secret',
  accountId: '1000000000000001',
  callerType: 'ram-user' as const,
};

export function credential(key: { accessKeyId: string; accessKeySecret: string } = KEY): Credential {
  return new Credential(new CredentialConfig({ type: 'access_key', ...key }));
}

export async function sandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({
    port: 0,
    startTime: '2026-01-01T00:00:00Z',
    accessKeys: [{ ...KEY, accountId: '1000000000000001' }, CUSTOMER, RAM_USER],
    ...options,
  });
}

type ClientOverrides = Partial<Omit<CloudClientOptions, 'product'>>;

export function supplier(box: Sandbox, overrides: ClientOverrides = {}): SupplierApi {
  return createSupplierApi({
    endpoint: box.url,
    credential: credential(),
    retry: { sleep: async () => undefined },
    ...overrides,
  });
}

export function user(box: Sandbox, overrides: ClientOverrides = {}) {
  return createUserApi({
    endpoint: box.url,
    credential: credential(CUSTOMER),
    retry: { sleep: async () => undefined },
    ...overrides,
  });
}

export function rawClient(box: Sandbox, overrides: ClientOverrides = {}): CloudClient<SupplierActions> {
  return new CloudClient<SupplierActions>({
    product: 'supplier',
    endpoint: box.url,
    credential: credential(),
    retry: { sleep: async () => undefined },
    ...overrides,
  });
}

export const TEMPLATE = {
  ROSTemplateFormatVersion: '2015-09-01',
  Parameters: {
    InstanceType: { Type: 'String', AllowedValues: ['ecs.c7.large', 'ecs.c7.xlarge'] },
    AdminPassword: { Type: 'String', AllowedPattern: '[A-Za-z0-9]{8,30}', NoEcho: true },
    DiskSize: { Type: 'Number', MinValue: 20, MaxValue: 500, Default: 40 },
    EnableBackup: { Type: 'Boolean', Default: false },
  },
  Resources: {},
  Outputs: {
    Endpoint: { Value: 'https://demo.example.com' },
    Console: { Value: { 'Fn::Sub': 'http://${Ecs.PublicIp}' } },
  },
};

export function deployMetadata(url: string) {
  return {
    TemplateConfigs: [
      {
        Name: 'Standard',
        Url: url,
        AllowedRegions: ['cn-hangzhou'],
        PredefinedParameters: [
          { Name: 'Basic', Parameters: { InstanceType: 'ecs.c7.large' } },
          { Name: 'Premium', Parameters: { InstanceType: ['ecs.c7.xlarge'] } },
        ],
      },
    ],
  };
}

export const SKUS = [
  { SpecificationCode: 'yuncode5012300001', TemplateName: 'Standard', SpecificationName: 'Basic' },
  { SpecificationCode: 'yuncode5012300002', TemplateName: 'Standard', SpecificationName: 'Premium' },
];

/** Uploads the template through GetUploadCredentials + a signed PUT, and returns its oss:// URL. */
export async function uploadTemplate(
  box: Sandbox,
  api: SupplierApi,
  template: object = TEMPLATE,
): Promise<string> {
  const { Data } = await api.getUploadCredentials({ FileName: 'standard.template.json' });
  const { ossUrl } = await uploadToOss(Data, JSON.stringify(template), {
    endpointOverrideUrl: box.url,
    contentType: 'application/json',
  });
  return ossUrl;
}

export interface Published {
  serviceId: string;
  version: string;
}

/**
 * A service with one online version, its template uploaded and its SKUs mapped: the official flow of
 * CreateService, UpdateService (Commodity), RegisterService, the review on the virtual clock, LaunchService.
 */
export async function publishService(
  box: Sandbox,
  api: SupplierApi,
  extra: Record<string, unknown> = {},
): Promise<Published> {
  const url = await uploadTemplate(box, api);
  const created = await api.createService({
    DeployType: 'ros',
    ServiceType: 'private',
    VersionName: 'v1',
    ServiceInfo: [{ Locale: 'en-US', Name: 'Demo SaaS', ShortDescription: 'demo' }],
    DeployMetadata: JSON.stringify(deployMetadata(url)),
    // The model's metadata fields are plain strings holding JSON: objects in `extra` are stringified.
    ...Object.fromEntries(
      Object.entries(extra).map(([k, v]) => [k, typeof v === 'object' && v !== null ? JSON.stringify(v) : v]),
    ),
  });
  const serviceId = created.ServiceId!;
  await api.updateService({
    ServiceId: serviceId,
    ServiceVersion: 'draft',
    Commodity: {
      SpecificationMappings: SKUS,
      // Not public (returned only under CssMetadata) and never sent by nestkit publish; kept here only while
      // the sandbox's Compute Nest-mode orders still map extra billing items through it.
      ComponentsMappings: [{ TemplateName: 'Standard', Mappings: { DiskSize: 'DiskSize' } }],
    },
  });
  const { RegistrationId } = await api.registerService({ ServiceId: serviceId });
  box.advance(box.core.timings.approvalSeconds);
  const review = await api.getServiceRegistration({ RegistrationId });
  if (review.Status !== 'Approved') throw new Error(`the review of ${serviceId} is ${review.Status}`);
  const launched = await api.launchService({ ServiceId: serviceId, ServiceVersion: 'draft' });
  return { serviceId, version: launched.Version! };
}

/** Advances far enough for any deployment or deletion to finish. */
export function settleDeployments(box: Sandbox): void {
  const t = box.core.timings;
  box.advance(t.deployStartSeconds + t.deploySeconds + t.deleteSeconds + t.operationSeconds);
}

export async function admin<T = unknown>(
  box: Sandbox,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${box.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

export async function expectCloudError(promise: Promise<unknown>, code: string, status?: number) {
  await expect(promise).rejects.toMatchObject({
    name: 'CloudError',
    code,
    ...(status === undefined ? {} : { status }),
  });
}
