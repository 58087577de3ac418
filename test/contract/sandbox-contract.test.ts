import { API_MODELS, modelByVersion, type FieldModel } from '../../scripts/api-models/model';
import { PRODUCT_TABLES } from '../../scripts/sandbox/api/products';
import type { Sandbox } from '../../scripts/sandbox';
import { rawRpc } from '../support/raw-rpc';
import { credential, CUSTOMER, sandbox } from '../integration/sandbox/helpers';
import { CloudError } from '../../scripts/cloud/errors';

/**
 * The sandbox against the official models: it serves only actions the models have, refuses a request
 * without a required parameter as the real API does, and accepts a request shaped exactly as the
 * official SDK shapes it. (Every answer it gives anywhere in the suite is checked against the model's
 * response tree by the sandbox itself: see scripts/api-models/README.md.)
 */

const SERVED = Object.entries(PRODUCT_TABLES).flatMap(([version, table]) =>
  Object.keys(table).map((action) => ({ version, action })),
);

/** Codes that mean the request's shape was refused, or the sandbox broke, rather than its values. */
const SHAPE_REFUSALS = [
  'MissingParameter',
  'InvalidAction.NotFound',
  'Sandbox.ContractViolation',
  'InternalError',
];

/** One wire value per field, as the SDK serializes it. */
function sdkShaped(field: FieldModel): Record<string, string> {
  if (field.style === 'json') return { [field.name]: field.type === 'array' ? '[]' : '{}' };
  if (field.style === 'flat') {
    if (field.type === 'array' && field.itemType === 'object')
      return { [`${field.name}.1.${field.children?.[0]?.name ?? 'Key'}`]: 'x' };
    if (field.type === 'array') return { [`${field.name}.1`]: 'x' };
    return { [`${field.name}.${field.children?.[0]?.name ?? 'Key'}`]: 'x' };
  }
  const sample: Record<string, string> = { integer: '1', long: '1', number: '1', boolean: 'true' };
  return { [field.name]: field.name === 'RegionId' ? 'cn-hangzhou' : (sample[field.type] ?? 'x') };
}

/**
 * The required fields, and the identifiers a real call names though the model leaves them optional
 * (UpdateServiceInstanceSpec's ServiceInstanceId): the sandbox answers MissingParameter without them [I].
 */
function requiredWire(version: string, action: string, except?: string) {
  const model = modelByVersion(version)!.actions[action];
  const query: Record<string, string> = {};
  const body: Record<string, string> = {};
  const identifies = (f: FieldModel) => f.style === 'plain' && /(ServiceInstance|Service)Id$/.test(f.name);
  for (const field of model.request.filter((f) => (f.required || identifies(f)) && f.name !== except))
    Object.assign(field.in === 'body' ? body : query, sdkShaped(field));
  return { query, body };
}

async function codeOf(box: Sandbox, version: string, action: string, wire: ReturnType<typeof requiredWire>) {
  try {
    await rawRpc({
      url: box.url,
      credential: credential(version === API_MODELS.user.version ? CUSTOMER : undefined),
      version,
      action,
      ...wire,
    });
    return 'OK';
  } catch (error) {
    if (error instanceof CloudError) return error.code;
    throw error;
  }
}

describe('the sandbox against the official API models', () => {
  let box: Sandbox;
  beforeAll(async () => {
    box = await sandbox();
  });
  afterAll(() => box.close());

  it.each(SERVED)('serves $action ($version) only because the model has it', ({ version, action }) => {
    expect(modelByVersion(version)?.actions[action]).toBeDefined();
  });

  it.each(SERVED)(
    'accepts $action ($version) shaped as the official SDK shapes it',
    async ({ version, action }) => {
      const code = await codeOf(box, version, action, requiredWire(version, action));
      expect(SHAPE_REFUSALS.includes(code) ? code : 'accepted').toBe('accepted');
    },
  );

  const requiredFields = SERVED.flatMap(({ version, action }) =>
    modelByVersion(version)!
      .actions[action].request.filter((f) => f.required)
      .map((f) => ({ version, action, field: f.name })),
  );

  it.each(requiredFields)(
    'answers MissingParameter to $action without $field',
    async ({ version, action, field }) => {
      const code = await codeOf(box, version, action, requiredWire(version, action, field));
      expect(code).toBe('MissingParameter');
    },
  );

  it('refuses an action of a served version that the model lacks', async () => {
    expect(await codeOf(box, '2021-05-21', 'NoSuchAction', { query: {}, body: {} })).toBe(
      'InvalidAction.NotFound',
    );
  });
});
