// CPU time and resident memory of one process, from /proc (Linux).
import { readFileSync } from 'node:fs';

const TICKS_PER_SEC = 100;

/** utime + stime of the process, seconds. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SEC;
}

export function rssBytes(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m === null ? 0 : Number(m[1]) * 1024;
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] as number;
}

/** % of one core a process used over `windowMs`, and its RSS at the end. */
export async function measureWindow(pid: number, windowMs: number): Promise<{ cpuPercent: number; rss: number }> {
  const c0 = cpuSeconds(pid);
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, windowMs));
  const c1 = cpuSeconds(pid);
  const t1 = performance.now();
  return { cpuPercent: ((c1 - c0) / ((t1 - t0) / 1000)) * 100, rss: rssBytes(pid) };
}
