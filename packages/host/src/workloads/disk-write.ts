// Demo workload: writes a file in chunks and syncs it, again and again, so
// the kernel accounts real bytes written to storage. The file lives in
// SANDMETER_WORKLOAD_DIR (default the OS temp dir) and is removed on exit.
import { closeSync, fsyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const chunkBytes = Number(process.env.SANDMETER_WORKLOAD_CHUNK_BYTES ?? 1024 * 1024);
const fileCapBytes = Number(process.env.SANDMETER_WORKLOAD_CAP_BYTES ?? 64 * 1024 * 1024);
const maxMs = Number(process.env.SANDMETER_WORKLOAD_MAX_MS ?? 600_000);
const dir = mkdtempSync(join(process.env.SANDMETER_WORKLOAD_DIR ?? tmpdir(), 'sandmeter-disk-'));
const file = join(dir, 'data');
const chunk = Buffer.alloc(chunkBytes, 0x5a);
let fd = openSync(file, 'w');
let written = 0;

const cleanup = (): void => {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
  rmSync(dir, { recursive: true, force: true });
};

const timer = setInterval(() => {
  if (written >= fileCapBytes) {
    // Start over so the disk never fills.
    closeSync(fd);
    fd = openSync(file, 'w');
    written = 0;
  }
  writeSync(fd, chunk);
  fsyncSync(fd);
  written += chunkBytes;
}, 100);

const stop = (): void => {
  clearInterval(timer);
  cleanup();
  process.exit(0);
};
setTimeout(stop, maxMs).unref();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
