/** An API error as Alibaba Cloud answers it: `{RequestId, Code, Message}` with an HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const missing = (name: string) =>
  new ApiError(
    400,
    `MissingParameter`,
    `The input parameter "${name}" that is mandatory for processing this request is not supplied.`,
  );

export const invalid = (name: string, why: string) =>
  new ApiError(400, `InvalidParameter`, `The specified parameter "${name}" is not valid. ${why}`);

// [I] Compute Nest answers a missing entity with 404; the codes themselves are [V].
export const notFound = (entity: 'Service' | 'ServiceInstance' | 'ServiceVersion', id: string) =>
  new ApiError(404, `EntityNotExist.${entity}`, `The specified ${entity} ${id} does not exist.`);

export const denied = (code: string, message: string) =>
  new ApiError(403, `OperationDenied.${code}`, message);

export const signatureMismatch = () =>
  new ApiError(400, 'SignatureDoesNotMatch', 'Specified signature is not matched with our calculation.');

export const incompleteSignature = (why: string) =>
  new ApiError(
    400,
    'IncompleteSignature',
    `The request signature does not conform to Aliyun standards. ${why}`,
  );

export const unknownAccessKey = () =>
  new ApiError(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');

export const unknownAction = (action: string, version: string) =>
  new ApiError(
    404,
    'InvalidAction.NotFound',
    `Specified api ${action} of version ${version} is not found, please check your url and method.`,
  );

// [I] 429 with a Throttling.* code; older Alibaba endpoints answered 400 with the same code.
export const throttled = () =>
  new ApiError(429, 'Throttling.User', 'Request was denied due to user flow control.');

export const internalError = (status = 500) =>
  status === 503
    ? new ApiError(
        503,
        'ServiceUnavailable',
        'The request has failed due to a temporary failure of the server.',
      )
    : new ApiError(
        status,
        'InternalError',
        'The request processing has failed due to some unknown error, exception or failure.',
      );
