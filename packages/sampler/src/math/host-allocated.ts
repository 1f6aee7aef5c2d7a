// Bytes the upper image really occupies on the host (sparse files count only allocated blocks).

import { statSync } from 'node:fs';
import type { U64Input } from '@sandmeter/registry';

/** st_blocks is always in 512-byte units, whatever the filesystem's block size. */
const STAT_BLOCK_BYTES = 512n;

/**
 * st_blocks * 512 of `path`, read as bigint so no precision is lost; a number
 * when it fits in 2^53, else a bigint. Undefined without a path, or when the
 * file cannot be stat'ed (missing, no permission): unknown, not zero.
 */
export function upperHostAllocatedBytes(path: string | undefined): U64Input | undefined {
  if (path === undefined || path === '') return undefined;
  let blocks: bigint;
  try {
    const stats = statSync(path, { bigint: true, throwIfNoEntry: false });
    if (stats === undefined) return undefined;
    blocks = stats.blocks;
  } catch {
    return undefined;
  }
  const bytes = blocks * STAT_BLOCK_BYTES;
  return bytes <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(bytes) : bytes;
}
