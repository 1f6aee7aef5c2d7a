// Command-line parsing on node:util's parseArgs, with typed usage errors
// and the value checks every command shares.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { HostError } from '../errors.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

type Parsed<T extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>>;

export function parse<T extends Options>(argv: readonly string[], options: T, usage: string): Parsed<T> {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (err) {
    throw usageError(`${(err as Error).message}\n\n${usage}`);
  }
}

export function usageError(message: string): HostError {
  return new HostError('SANDMETER_USAGE', 400, message);
}

export function intOption(flag: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw usageError(`--${flag}: "${text}" is not a whole number from ${min} to ${max}`);
  return n;
}

export function numberOption(flag: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= min || n > max) throw usageError(`--${flag}: "${text}" is not a number above ${min} and at most ${max}`);
  return n;
}

const SIZE = /^(\d+(?:\.\d+)?)\s*([kmgt]i?b?|b)?$/i;
const MULT: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** Bytes from "512m", "2GiB", "1048576". Binary multiples. */
export function sizeOption(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = SIZE.exec(text.trim());
  const n = m === null ? Number.NaN : Number(m[1]) * (MULT[(m[2] ?? '').charAt(0).toLowerCase()] ?? Number.NaN);
  if (!Number.isSafeInteger(Math.round(n)) || n < 0) throw usageError(`--${flag}: "${text}" is not a size like 512m or 2g`);
  return Math.round(n);
}

/** Labels from repeated `--label key=value`. */
export function labelOptions(values: readonly string[] | undefined): Record<string, string> | undefined {
  if (values === undefined || values.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq <= 0) throw usageError(`--label: "${v}" is not key=value`);
    out[v.slice(0, eq)] = v.slice(eq + 1);
  }
  return out;
}
