// Typed errors. Every error carries a stable `code` (assert on codes, not
// messages) and the fields a caller needs to act.

export type SandmeterErrorCode =
  | 'SANDMETER_REGISTRY_FULL'
  | 'SANDMETER_GENERATION_MISMATCH'
  | 'SANDMETER_NOT_FOUND'
  | 'SANDMETER_LAYOUT_MISMATCH'
  | 'SANDMETER_INVALID_ARGUMENT'
  | 'SANDMETER_WRITER_BUSY'
  | 'SANDMETER_PERMISSION_DENIED'
  | 'SANDMETER_SLOT_STATE'
  | 'SANDMETER_ALREADY_EXISTS'
  | 'SANDMETER_CLOSED'
  | 'SANDMETER_SYSTEM';

export class SandmeterError extends Error {
  readonly code: SandmeterErrorCode;
  constructor(code: SandmeterErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

export class RegistryFullError extends SandmeterError {
  constructor(message: string) {
    super('SANDMETER_REGISTRY_FULL', `${message}. Release finished sandboxes or open a registry with a larger capacity.`);
  }
}

export class GenerationMismatchError extends SandmeterError {
  constructor(
    readonly expected: number,
    readonly actual: number,
    message = 'the slot was released or reused since this writer got it',
  ) {
    super('SANDMETER_GENERATION_MISMATCH', `${message} (expected generation ${expected}, found ${actual}); stop writing and reserve a new slot.`);
  }
}

export class NotFoundError extends SandmeterError {
  constructor(message: string) {
    super('SANDMETER_NOT_FOUND', message);
  }
}

export class LayoutMismatchError extends SandmeterError {
  constructor(
    readonly field: string,
    readonly found: number | bigint,
    readonly expectedValue: number | bigint,
    message: string,
  ) {
    super('SANDMETER_LAYOUT_MISMATCH', `${message} (field ${field}: found ${found}, expected ${expectedValue}). The shm object is not a compatible registry; pick another name or unlink it.`);
  }
}

export class InvalidArgumentError extends SandmeterError {
  constructor(
    readonly argument: string,
    readonly reason: string,
  ) {
    super('SANDMETER_INVALID_ARGUMENT', `invalid ${argument}: ${reason}`);
  }
}

export class WriterBusyError extends SandmeterError {
  constructor(message: string) {
    super('SANDMETER_WRITER_BUSY', `${message}; retry, or treat the writer as dead.`);
  }
}

export class PermissionDeniedError extends SandmeterError {
  constructor(message: string) {
    super('SANDMETER_PERMISSION_DENIED', `${message}. Registries are private (mode 0600) to the user that created them; run as that user.`);
  }
}

export class SlotStateError extends SandmeterError {
  constructor(
    readonly expectedState: number,
    readonly actualState: number,
    message: string,
  ) {
    super('SANDMETER_SLOT_STATE', message);
  }
}

export class AlreadyExistsError extends SandmeterError {
  constructor(message: string) {
    super('SANDMETER_ALREADY_EXISTS', `${message}; open it instead, or unlink it first.`);
  }
}

export class RegistryClosedError extends SandmeterError {
  constructor() {
    super('SANDMETER_CLOSED', 'the registry mapping is closed; open the registry again.');
  }
}

export class SystemError extends SandmeterError {
  constructor(
    message: string,
    readonly errno: number | undefined,
  ) {
    super('SANDMETER_SYSTEM', message);
  }
}

export function isSandmeterError(err: unknown, code?: SandmeterErrorCode): err is SandmeterError {
  return err instanceof SandmeterError && (code === undefined || err.code === code);
}

interface NativeErrorShape {
  code?: unknown;
  message?: unknown;
  field?: unknown;
  expected?: unknown;
  actual?: unknown;
  errno?: unknown;
}

const toNumber = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : 0);

/** Maps an error thrown by the native binding to its typed class. */
export function fromNative(err: unknown): unknown {
  if (typeof err !== 'object' || err === null) return err;
  const e = err as NativeErrorShape;
  const message = typeof e.message === 'string' ? e.message : String(err);
  const field = typeof e.field === 'string' ? e.field : '';
  switch (e.code) {
    case 'SANDMETER_REGISTRY_FULL':
      return new RegistryFullError(message);
    case 'SANDMETER_GENERATION_MISMATCH':
      return new GenerationMismatchError(toNumber(e.expected), toNumber(e.actual));
    case 'SANDMETER_NOT_FOUND':
      return new NotFoundError(`${message}. Create the registry first (Registry.openOrCreate) or check its name.`);
    case 'SANDMETER_LAYOUT_MISMATCH':
      return new LayoutMismatchError(field, bigOrNumber(e.actual), bigOrNumber(e.expected), message);
    case 'SANDMETER_INVALID_ARGUMENT':
      return new InvalidArgumentError(field || 'argument', message);
    case 'SANDMETER_WRITER_BUSY':
      return new WriterBusyError(message);
    case 'SANDMETER_PERMISSION_DENIED':
      return new PermissionDeniedError(message);
    case 'SANDMETER_SLOT_STATE':
      return new SlotStateError(toNumber(e.expected), toNumber(e.actual), message);
    case 'SANDMETER_ALREADY_EXISTS':
      return new AlreadyExistsError(message);
    case 'SANDMETER_SYSTEM':
      return new SystemError(message, typeof e.errno === 'number' ? e.errno : undefined);
    default:
      return err;
  }
}

function bigOrNumber(v: unknown): number | bigint {
  if (typeof v === 'bigint') return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  return toNumber(v);
}
