// u64 <-> JS. Values travel as two u32 words (little-endian), so the hot
// path never allocates a BigInt.
import { InvalidArgumentError } from './errors.js';
import { TWO_32 } from './layout.js';

const MAX_U64 = 0xffffffffffffffffn;
const INV_TWO_32 = 1 / TWO_32;

/** Stores `v` at words [i, i + 1]. Throws for anything that is not an exact u64. */
export function storeU64(u32: Uint32Array, i: number, v: number | bigint, field: string): void {
  if (typeof v === 'number') {
    // One ToUint32 and one multiply split the number and validate it: NaN,
    // negatives, fractions and anything past 2^53 (which may already have
    // lost precision before it reached us) all leave a high word that is
    // not an integer in [0, 2^21).
    const lo = v >>> 0;
    const hi = (v - lo) * INV_TWO_32; // exact: a power-of-two scale
    if (hi >= 0x200000 || hi >>> 0 !== hi) throw badU64(field, v);
    u32[i] = lo;
    u32[i + 1] = hi;
    return;
  }
  if (typeof v === 'bigint' && v >= 0n && v <= MAX_U64) {
    u32[i] = Number(v & 0xffffffffn);
    u32[i + 1] = Number(v >> 32n);
    return;
  }
  throw badU64(field, v);
}

export function checkU64(v: unknown, field: string): number | bigint {
  if (typeof v === 'number' && v >= 0 && v <= Number.MAX_SAFE_INTEGER && Math.floor(v) === v) return v;
  if (typeof v === 'bigint' && v >= 0n && v <= MAX_U64) return v;
  throw badU64(field, v);
}

function badU64(field: string, v: unknown): InvalidArgumentError {
  return new InvalidArgumentError(
    field,
    `expected a non-negative integer up to 2^53-1 as a number, or up to 2^64-1 as a bigint; got ${typeof v === 'bigint' ? `${v}n` : String(v)}`,
  );
}

/** Signed i64 (timestamps) from a JS number. */
export function storeI64(u32: Uint32Array, i: number, v: number): void {
  const hi = Math.floor(v / TWO_32);
  u32[i] = v - hi * TWO_32;
  u32[i + 1] = hi >>> 0;
}

export const loadI64 = (u32: Uint32Array, i32: Int32Array, i: number): number =>
  (i32[i + 1] as number) * TWO_32 + (u32[i] as number);

export const loadU64Big = (u32: Uint32Array, i: number): bigint =>
  (BigInt(u32[i + 1] as number) << 32n) | BigInt(u32[i] as number);
