// Registry names: validation, sandmeter's default, and microsandbox's.
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError } from './errors.js';

/**
 * sandmeter's default registry: per user, so users never share (or fight
 * over) one object. `SANDMETER_REGISTRY` overrides it.
 */
export function defaultRegistryName(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.SANDMETER_REGISTRY;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  return `/sandmeter-${userInfo().uid}-v3`;
}

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK64 = 0xffffffffffffffffn;

/** 64-bit FNV-1a over bytes. */
export function fnv1a64(bytes: Uint8Array): bigint {
  let h = FNV_OFFSET;
  for (const b of bytes) h = ((h ^ BigInt(b)) * FNV_PRIME) & MASK64;
  return h;
}

/**
 * The registry name of a microsandbox host: `/msb-met-<fnv1a64(home)>-v3`,
 * home being `$MSB_HOME`, else `~/.microsandbox`.
 */
export function microsandboxRegistryName(home?: string, env: NodeJS.ProcessEnv = process.env): string {
  const dir = home ?? (env.MSB_HOME !== undefined && env.MSB_HOME !== '' ? env.MSB_HOME : join(homedir(), '.microsandbox'));
  const hash = fnv1a64(new TextEncoder().encode(dir)).toString(16).padStart(16, '0');
  return `/msb-met-${hash}-v3`;
}

export function validateShmName(name: unknown): string {
  if (typeof name !== 'string') throw new InvalidArgumentError('name', 'a registry name is a string like "/sandmeter-demo"');
  if (name.length < 2 || name[0] !== '/') throw new InvalidArgumentError('name', `"${name}" must start with "/" followed by at least one character`);
  if (name.indexOf('/', 1) !== -1) throw new InvalidArgumentError('name', `"${name}" may contain "/" only as its first character`);
  if (name.includes('\0')) throw new InvalidArgumentError('name', 'a registry name may not contain NUL');
  if (Buffer.byteLength(name) > 255) throw new InvalidArgumentError('name', 'a registry name is at most 255 bytes');
  return name;
}

const encoder = new TextEncoder();
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

/** A sandbox name as its slot bytes: UTF-8, at most 128 bytes, no NUL. */
export function encodeSandboxName(name: unknown): Uint8Array {
  if (typeof name === 'string') {
    if (name.includes('\0')) throw new InvalidArgumentError('name', 'a sandbox name may not contain NUL');
    if (LONE_SURROGATE.test(name)) {
      throw new InvalidArgumentError('name', 'a sandbox name must be valid UTF-8 (it has a lone surrogate)');
    }
    const bytes = encoder.encode(name);
    if (bytes.length > 128) throw new InvalidArgumentError('name', `a sandbox name is at most 128 bytes of UTF-8, got ${bytes.length}`);
    return bytes;
  }
  if (name instanceof Uint8Array) {
    try {
      return encodeSandboxName(strictDecoder.decode(name));
    } catch (err) {
      if (err instanceof InvalidArgumentError) throw err;
      throw new InvalidArgumentError('name', 'a sandbox name must be valid UTF-8');
    }
  }
  throw new InvalidArgumentError('name', 'a sandbox name is a string');
}
