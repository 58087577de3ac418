import OpenApiUtil from '@alicloud/openapi-util';

/**
 * RPC parameters on the wire: structs the API declares as strings (DeployMetadata, Parameters,
 * Commodity of UpdateService ...) are sent as one JSON string; everything else is flattened
 * (`Filter.1.Value.1`, `ServiceInstanceId.2`) the way the generated SDKs do.
 */
export function encodeParams(params: object, jsonFields: readonly string[] = []): Record<string, string> {
  const shaped: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    shaped[key] = jsonFields.includes(key) && typeof value !== 'string' ? JSON.stringify(value) : value;
  }
  return OpenApiUtil.query(shaped);
}
