// Synchronous reads of small kernel-generated files into one reusable buffer.
//
// A /proc file held open and read again at offset 0 is generated afresh by
// the kernel, so a pinned descriptor costs one syscall per read instead of
// three (open, read, close). It also pins the process itself: once that
// process is gone the read fails with ESRCH, even if its pid was reused.

import { closeSync, openSync, readSync } from 'node:fs';

/** What a failed read means for the caller. */
export const READ_GONE = -1;
export const READ_DENIED = -2;
export const READ_FAILED = -3;

let scratch: Buffer = Buffer.allocUnsafe(8192);

/** The shared buffer the last successful read filled. Valid until the next read. */
export function procBuffer(): Buffer {
  return scratch;
}

/** Map an fs error to READ_GONE / READ_DENIED / READ_FAILED. */
export function classifyReadError(error: unknown): number {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ESRCH' || code === 'ENOTDIR') return READ_GONE;
  if (code === 'EACCES' || code === 'EPERM') return READ_DENIED;
  return READ_FAILED;
}

/**
 * Read a whole file at `path` with open/read/close. Returns the length, or a
 * READ_* code. `untilEof` for files the kernel hands out record by record
 * (see readWhole).
 */
export function readFileOnce(path: string, untilEof = false): number {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    return classifyReadError(error);
  }
  try {
    return readWhole(fd, untilEof);
  } catch (error) {
    return classifyReadError(error);
  } finally {
    closeSync(fd);
  }
}

/**
 * Read from offset 0 into the shared buffer, growing it as needed.
 *
 * Single-record files (stat, io, statm, most cgroup files) are generated
 * whole, so a read that does not fill the buffer has everything: one
 * syscall. Record-by-record files (net/dev, task children) may stop at a
 * page boundary, so those read on until end of file (`untilEof`).
 */
function readWhole(fd: number, untilEof: boolean): number {
  let total = 0;
  for (;;) {
    if (total === scratch.length) {
      const bigger = Buffer.allocUnsafe(scratch.length * 2);
      scratch.copy(bigger, 0, 0, total);
      scratch = bigger;
    }
    const n = readSync(fd, scratch, total, scratch.length - total, total);
    if (n === 0) return total;
    total += n;
    if (!untilEof && total < scratch.length) return total;
  }
}

/** One /proc file, optionally held open between reads. */
export class ProcFile {
  readonly path: string;
  private readonly pin: boolean;
  private readonly untilEof: boolean;
  private fd = -1;

  constructor(path: string, pin: boolean, untilEof = false) {
    this.path = path;
    this.pin = pin;
    this.untilEof = untilEof;
  }

  /** Length of the content now in procBuffer(), or a READ_* code. */
  read(): number {
    if (!this.pin) return readFileOnce(this.path, this.untilEof);
    if (this.fd < 0) {
      try {
        this.fd = openSync(this.path, 'r');
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        // Out of descriptors: fall back to reading without holding one.
        if (code === 'EMFILE' || code === 'ENFILE') return readFileOnce(this.path, this.untilEof);
        return classifyReadError(error);
      }
    }
    try {
      return readWhole(this.fd, this.untilEof);
    } catch (error) {
      const result = classifyReadError(error);
      if (result === READ_GONE) this.close();
      return result;
    }
  }

  close(): void {
    if (this.fd >= 0) {
      try {
        closeSync(this.fd);
      } catch {
        // Already closed: nothing to give back.
      }
      this.fd = -1;
    }
  }
}
