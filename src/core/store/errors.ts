/**
 * MLflow's error codes, carried by every store error so the tracking server can pass them
 * through unchanged as `{"error_code", "message"}` with the HTTP status MLflow uses.
 */
export const ErrorCode = {
  invalidParameterValue: 'INVALID_PARAMETER_VALUE',
  resourceDoesNotExist: 'RESOURCE_DOES_NOT_EXIST',
  resourceAlreadyExists: 'RESOURCE_ALREADY_EXISTS',
  invalidState: 'INVALID_STATE',
  badRequest: 'BAD_REQUEST',
  internalError: 'INTERNAL_ERROR',
  endpointNotFound: 'ENDPOINT_NOT_FOUND',
  unauthenticated: 'UNAUTHENTICATED',
  permissionDenied: 'PERMISSION_DENIED',
  /** Ours: another process owns the store; `address` says where its server listens. */
  storeBusy: 'STORE_BUSY',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const httpStatus: Record<ErrorCode, number> = {
  INVALID_PARAMETER_VALUE: 400,
  BAD_REQUEST: 400,
  INVALID_STATE: 400,
  RESOURCE_DOES_NOT_EXIST: 404,
  ENDPOINT_NOT_FOUND: 404,
  RESOURCE_ALREADY_EXISTS: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  INTERNAL_ERROR: 500,
  STORE_BUSY: 409,
};

export class MlflowError extends Error {
  override readonly name = 'MlflowError';

  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }

  get httpStatus(): number {
    return httpStatus[this.code];
  }

  toJson(): { error_code: string; message: string } {
    return { error_code: this.code, message: this.message };
  }
}

/** Raised when a live process already owns the store; talk to its server instead. */
export class StoreBusyError extends MlflowError {
  constructor(
    readonly pid: number,
    readonly address: string | undefined,
    storeDir: string,
  ) {
    const where = address ? ` and serves it at ${address}` : '';
    super(
      ErrorCode.storeBusy,
      `the store in ${storeDir} is in use by process ${pid}${where}; ` +
        'use that server, or close the other window or command first',
    );
  }
}

export const invalid = (message: string) =>
  new MlflowError(ErrorCode.invalidParameterValue, message);
export const notFound = (message: string) =>
  new MlflowError(ErrorCode.resourceDoesNotExist, message);
export const exists = (message: string) =>
  new MlflowError(ErrorCode.resourceAlreadyExists, message);
export const invalidState = (message: string) => new MlflowError(ErrorCode.invalidState, message);
