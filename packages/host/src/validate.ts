// Request validation with ajv: schemas compile once, errors become one
// typed HostError listing every problem found.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { HostError } from './errors.js';
import { registrationSchema } from './schemas.js';
import type { SandboxRegistration } from './types.js';

const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
const registration: ValidateFunction<SandboxRegistration> = ajv.compile<SandboxRegistration>(registrationSchema);

export interface ValidationProblem {
  path: string;
  message: string;
}

function describe(errors: readonly ErrorObject[] | null | undefined): ValidationProblem[] {
  const out: ValidationProblem[] = [];
  for (const e of errors ?? []) {
    const extra =
      e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty?: unknown }).additionalProperty)})` : '';
    out.push({ path: e.instancePath === '' ? '/' : e.instancePath, message: `${e.message ?? e.keyword}${extra}` });
  }
  return out;
}

/** The body as a registration, or SANDMETER_VALIDATION_FAILED naming every bad field. */
export function checkRegistration(body: unknown): SandboxRegistration {
  if (registration(body)) return body;
  const problems = describe(registration.errors);
  const summary = problems.map((p) => `${p.path} ${p.message}`).join('; ');
  throw new HostError('SANDMETER_VALIDATION_FAILED', 400, `invalid registration: ${summary}`, problems);
}
