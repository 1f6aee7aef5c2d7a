// Flags several commands share, and turning them into host options.
import { defaultRegistryName, microsandboxRegistryName } from '@sandmeter/registry';
import type { LevelWithSilent } from 'pino';
import { createLogger, type Logger } from '../logger.js';
import { usageError } from './args.js';

export const LOG_FLAGS = {
  pretty: { type: 'boolean' },
  'log-level': { type: 'string' },
} as const;

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

export function loggerFrom(values: { pretty?: boolean | undefined; 'log-level'?: string | undefined }, fallback: LevelWithSilent, fd: 1 | 2): Logger {
  const level = values['log-level'] ?? process.env.SANDMETER_LOG_LEVEL ?? fallback;
  if (!LEVELS.includes(level)) throw usageError(`--log-level: "${level}" is not one of ${LEVELS.join(', ')}`);
  return createLogger({ level: level as LevelWithSilent, pretty: values.pretty === true, destination: fd });
}

/** --registry NAME, else the registry of the microsandbox home given by --msb-home, else ours. */
export function registryNameFrom(value: string | undefined, msbHome?: string): string {
  if (value !== undefined && msbHome !== undefined) throw usageError('give --registry or --msb-home, not both');
  if (msbHome !== undefined) return microsandboxRegistryName(msbHome);
  return value ?? defaultRegistryName();
}
