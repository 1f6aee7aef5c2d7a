// Typed errors of the host. Every error carries a stable `code` (clients
// and tests assert codes, never messages) and the HTTP status it maps to.
import { isSandmeterError } from '@sandmeter/registry';

export type HostErrorCode =
  | 'SANDMETER_BAD_JSON'
  | 'SANDMETER_VALIDATION_FAILED'
  | 'SANDMETER_BODY_TOO_LARGE'
  | 'SANDMETER_UNSUPPORTED_MEDIA_TYPE'
  | 'SANDMETER_METHOD_NOT_ALLOWED'
  | 'SANDMETER_ROUTE_NOT_FOUND'
  | 'SANDMETER_SANDBOX_NOT_FOUND'
  | 'SANDMETER_REGISTRY_NOT_FOUND'
  | 'SANDMETER_NAME_TAKEN'
  | 'SANDMETER_ID_TAKEN'
  | 'SANDMETER_PROCESS_NOT_FOUND'
  | 'SANDMETER_CGROUP_NOT_FOUND'
  | 'SANDMETER_SHUTTING_DOWN'
  | 'SANDMETER_HOST_RUNNING'
  | 'SANDMETER_HOST_UNREACHABLE'
  | 'SANDMETER_SPAWN_FAILED'
  | 'SANDMETER_USAGE'
  | 'SANDMETER_INTERNAL';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export class HostError extends Error {
  readonly code: HostErrorCode;
  readonly status: number;
  readonly details: unknown;
  constructor(code: HostErrorCode, status: number, message: string, details?: unknown) {
    super(message);
    this.code = code;
    this.status = status;
    this.details = details;
    this.name = 'HostError';
  }
}

export const isHostError = (err: unknown, code?: HostErrorCode): err is HostError =>
  err instanceof HostError && (code === undefined || err.code === code);

/** HTTP status for an error of the registry package, by its code. */
const REGISTRY_STATUS: Record<string, number> = {
  SANDMETER_INVALID_ARGUMENT: 400,
  SANDMETER_NOT_FOUND: 404,
  SANDMETER_REGISTRY_FULL: 503,
  SANDMETER_CLOSED: 503,
  SANDMETER_WRITER_BUSY: 503,
  SANDMETER_PERMISSION_DENIED: 403,
};

/** Any thrown value as the JSON error body and status the API answers with. */
export function toErrorResponse(err: unknown): { status: number; body: ErrorBody } {
  if (err instanceof HostError) {
    const error: ErrorBody['error'] = { code: err.code, message: err.message };
    if (err.details !== undefined) error.details = err.details;
    return { status: err.status, body: { error } };
  }
  if (isSandmeterError(err)) {
    return { status: REGISTRY_STATUS[err.code] ?? 500, body: { error: { code: err.code, message: err.message } } };
  }
  // Never leak a stack; the log has it.
  return { status: 500, body: { error: { code: 'SANDMETER_INTERNAL', message: 'internal error in the host; see its log' } } };
}
