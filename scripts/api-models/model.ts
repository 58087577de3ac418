import supplierModel from './models/ComputeNestSupplier-2021-05-21.json';
import userModel from './models/ComputeNest-2021-06-01.json';
import marketModel from './models/Market-2015-11-01.json';

/** The type of a field in the official models (see models/README.md). */
export type FieldType = 'string' | 'integer' | 'long' | 'number' | 'boolean' | 'object' | 'array' | 'map';

/** One request or response field of an action, as extracted from the official SDKs. */
export interface FieldModel {
  name: string;
  type: FieldType;
  /** Top-level request fields only: where the SDK puts it. */
  in?: 'query' | 'body';
  /** Top-level request fields only: `json` one JSON string, `flat` Name.1.Key, `plain` a scalar. */
  style?: 'json' | 'flat' | 'plain';
  /** Request fields only. */
  required?: boolean;
  doc?: string;
  itemType?: FieldType;
  valueType?: FieldType | 'any';
  children?: FieldModel[];
}

export interface ActionModel {
  method: 'GET' | 'POST';
  authType: string;
  request: FieldModel[];
  response: FieldModel[];
}

export interface ApiModel {
  product: string;
  version: string;
  source: Record<string, unknown>;
  actions: Record<string, ActionModel>;
}

/** The three APIs the kit speaks, keyed as the cloud client names its products. */
export const API_MODELS = {
  supplier: supplierModel as unknown as ApiModel,
  user: userModel as unknown as ApiModel,
  market: marketModel as unknown as ApiModel,
} as const;

export type ModelProduct = keyof typeof API_MODELS;

/** The model of a product by its RPC version (`2021-05-21` ...), as the sandbox sees a call. */
export function modelByVersion(version: string): ApiModel | undefined {
  return Object.values(API_MODELS).find((model) => model.version === version);
}

export function actionModel(product: ModelProduct, action: string): ActionModel | undefined {
  return API_MODELS[product].actions[action];
}
