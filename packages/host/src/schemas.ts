// JSON schemas of the control API's request bodies. Unknown fields are
// rejected (additionalProperties: false) so a typo never passes silently.

export const MAX_BODY_BYTES = 64 * 1024;

export const registrationSchema = {
  $id: 'sandmeter/registration',
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  anyOf: [{ required: ['pid'] }, { required: ['cgroup'] }],
  properties: {
    id: { type: 'integer', minimum: 1, maximum: 2147483647 },
    // Bytes (at most 128 of UTF-8) are checked by the registry; this bounds characters.
    name: { type: 'string', minLength: 1, maxLength: 128 },
    pid: { type: 'integer', minimum: 1, maximum: 2147483647 },
    cgroup: { type: 'string', minLength: 1, maxLength: 4096 },
    processTree: { type: 'boolean' },
    memoryLimitBytes: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
    maxCpus: { type: 'number', exclusiveMinimum: 0, maximum: 4096 },
    intervalMs: { type: 'integer', minimum: 50, maximum: 3_600_000 },
    upperImagePath: { type: 'string', minLength: 1, maxLength: 4096 },
    labels: {
      type: 'object',
      maxProperties: 32,
      propertyNames: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_.-]{0,62}$' },
      additionalProperties: { type: 'string', maxLength: 256 },
    },
  },
} as const;
