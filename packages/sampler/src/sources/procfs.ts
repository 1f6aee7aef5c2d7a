// A process, or its whole process tree, read from /proc.

import { SystemError } from '@sandmeter/registry';
import { requirePid } from '../errors.js';
import { DEFAULT_CLOCK_TICKS_PER_SEC, systemPageSize, ticksToNs } from '../system-info.js';
import { hasOwnNetNamespace, hostNetNamespaceInode } from './net-namespace.js';
import { ProcFile, READ_GONE, procBuffer } from './proc-file.js';
import {
  STATE_DEAD,
  STATE_DEAD_OLD,
  STATE_ZOMBIE,
  emptyProcStat,
  parseNetDev,
  parseProcIo,
  parseProcStat,
  type NetDev,
  type ProcIo,
  type ProcStat,
} from './procfs-parse.js';
import { childrenFilesSupported, processTreeMembers } from './process-tree.js';
import { TaskChildren } from './task-children.js';
import { gone, ok, type MetricField, type MetricSource, type Metrics, type Reading } from './types.js';

export interface ProcfsSourceOptions {
  pid: number;
  /** Sum the process and all its descendants (default false: the process alone). */
  tree?: boolean;
  /** Where procfs is mounted (default '/proc'); a fixture tree in tests. */
  procRoot?: string;
  /** Hold /proc files open between reads: one syscall per file per tick (default true). */
  keepOpen?: boolean;
  /** Read /proc/<pid>/io for disk bytes (default true; absent when the kernel denies it). */
  io?: boolean;
  /** Network counters: 'auto' reads them only in a namespace of the process's own (default); false never. */
  network?: 'auto' | false;
  /** Inode of the host's network namespace (default: PID 1's, else our own). */
  hostNetNamespace?: number;
  clockTicksPerSec?: number;
  pageSize?: number;
}

/** One process's pinned files. */
interface Member {
  stat: ProcFile;
  io: ProcFile | undefined;
  /** Its children (tree sources on kernels with per-task children files). */
  children: TaskChildren | undefined;
}

export class ProcfsSource implements MetricSource {
  readonly kind = 'procfs';
  readonly fields: ReadonlySet<MetricField>;
  readonly pid: number;
  readonly tree: boolean;

  private readonly procRoot: string;
  private readonly keepOpen: boolean;
  private readonly ticksPerSec: number;
  private readonly pageSize: number;
  private readonly withIo: boolean;
  private readonly netDev: ProcFile | undefined;
  private readonly members = new Map<number, Member>();
  private readonly stat: ProcStat = { ...emptyProcStat(), numThreads: 0 };
  /** Tree members found this tick, root first (reused between ticks). */
  private readonly live: number[] = [];
  private readonly viaChildren: boolean;
  private readonly ioOut: ProcIo = { readBytes: 0, writeBytes: 0 };
  private readonly netOut: NetDev = { rxBytes: 0, txBytes: 0 };
  private rootStart = -1;
  private goneReason: string | undefined;

  constructor(options: ProcfsSourceOptions) {
    this.pid = requirePid(options.pid);
    this.tree = options.tree ?? false;
    this.procRoot = options.procRoot ?? '/proc';
    this.keepOpen = options.keepOpen ?? true;
    this.ticksPerSec = options.clockTicksPerSec ?? DEFAULT_CLOCK_TICKS_PER_SEC;
    this.pageSize = options.pageSize ?? systemPageSize();

    const fields: MetricField[] = ['cpuTimeNs', 'memoryBytes', 'memoryHostResidentBytes'];
    // Disk bytes only when the kernel lets us read them (ptrace access rules).
    this.withIo = (options.io ?? true) && new ProcFile(`${this.procRoot}/${this.pid}/io`, false).read() >= 0;
    if (this.withIo) fields.push('diskReadBytes', 'diskWriteBytes');
    const hostNs = options.hostNetNamespace ?? hostNetNamespaceInode(this.procRoot);
    if (options.network !== false && hasOwnNetNamespace(this.pid, hostNs, this.procRoot)) {
      this.netDev = new ProcFile(`${this.procRoot}/${this.pid}/net/dev`, this.keepOpen, true);
      fields.push('netRxBytes', 'netTxBytes');
    }
    this.fields = new Set(fields);
    this.viaChildren = this.tree && childrenFilesSupported(this.procRoot);
  }

  read(): Reading {
    if (this.goneReason !== undefined) return gone(this.goneReason);
    const root = this.member(this.pid);
    const len = root.stat.read();
    if (len === READ_GONE || len === 0) return this.markGone('process exited');
    if (len < 0) throw new SystemError(`cannot read ${root.stat.path}; check that /proc is mounted and readable`, undefined);
    if (!parseProcStat(procBuffer(), len, this.stat)) return this.markGone('process exited');
    const s = this.stat;
    if (s.state === STATE_ZOMBIE || s.state === STATE_DEAD || s.state === STATE_DEAD_OLD) {
      return this.markGone('process exited');
    }
    // Same pid, different start time: the pid was reused by another process.
    if (this.rootStart < 0) this.rootStart = s.starttime;
    else if (s.starttime !== this.rootStart) return this.markGone('process exited (pid reused)');

    let ticks = this.tree ? s.utime + s.stime + s.cutime + s.cstime : s.utime + s.stime;
    let rssPages = s.rssPages;
    let ioKnown = this.withIo && this.readIo(root);
    let readBytes = ioKnown ? this.ioOut.readBytes : 0;
    let writeBytes = ioKnown ? this.ioOut.writeBytes : 0;

    if (this.tree) {
      // With children files the walk follows the reads (each member's stat
      // gives its thread count); without, one scan of /proc lists the tree.
      let live = this.live;
      live.length = 1;
      live[0] = this.pid;
      if (this.viaChildren) (root.children as TaskChildren).collect(s.numThreads as number, live);
      else live = processTreeMembers(this.pid, this.procRoot);
      for (let k = 1; k < live.length; k++) {
        const pid = live[k] as number;
        const member = this.member(pid);
        const mlen = member.stat.read();
        if (mlen < 0 || !parseProcStat(procBuffer(), mlen, s)) {
          this.drop(pid); // Left between the listing and the read.
          continue;
        }
        // Own times plus those of reaped children: when a member is reaped
        // its times move into its parent's cutime/cstime, so the sum holds.
        ticks += s.utime + s.stime + s.cutime + s.cstime;
        rssPages += s.rssPages;
        member.children?.collect(s.numThreads as number, live);
        if (ioKnown) {
          if (this.readIo(member)) {
            readBytes += this.ioOut.readBytes;
            writeBytes += this.ioOut.writeBytes;
          } else {
            ioKnown = false; // A partial sum would under-report: say unknown.
          }
        }
      }
      this.forgetExcept(live);
    }

    const rss = rssPages * this.pageSize;
    const metrics: Metrics = {
      cpuTimeNs: ticksToNs(ticks, this.ticksPerSec),
      memoryBytes: rss,
      memoryHostResidentBytes: rss,
    };
    if (ioKnown) {
      metrics.diskReadBytes = readBytes;
      metrics.diskWriteBytes = writeBytes;
    }
    if (this.netDev !== undefined) {
      const nlen = this.netDev.read();
      if (nlen >= 0 && parseNetDev(procBuffer(), nlen, this.netOut)) {
        metrics.netRxBytes = this.netOut.rxBytes;
        metrics.netTxBytes = this.netOut.txBytes;
      }
    }
    return ok(metrics);
  }

  close(): void {
    for (const member of this.members.values()) closeMember(member);
    this.members.clear();
    this.netDev?.close();
  }

  private readIo(member: Member): boolean {
    if (member.io === undefined) return false;
    const len = member.io.read();
    return len >= 0 && parseProcIo(procBuffer(), len, this.ioOut);
  }

  private member(pid: number): Member {
    let member = this.members.get(pid);
    if (member === undefined) {
      const base = `${this.procRoot}/${pid}`;
      member = {
        stat: new ProcFile(`${base}/stat`, this.keepOpen),
        io: this.withIo ? new ProcFile(`${base}/io`, this.keepOpen) : undefined,
        children: this.viaChildren ? new TaskChildren(this.procRoot, pid, this.keepOpen) : undefined,
      };
      this.members.set(pid, member);
    }
    return member;
  }

  private drop(pid: number): void {
    const member = this.members.get(pid);
    if (member !== undefined) {
      closeMember(member);
      this.members.delete(pid);
    }
  }

  /** Close the files of processes that left the tree. */
  private forgetExcept(live: number[]): void {
    if (this.members.size <= live.length) return;
    const keep = new Set(live);
    for (const pid of this.members.keys()) if (!keep.has(pid)) this.drop(pid);
  }

  private markGone(reason: string): Reading {
    // Sticky: a pid that came back belongs to somebody else.
    this.goneReason = reason;
    this.close();
    return gone(reason);
  }
}

function closeMember(member: Member): void {
  member.stat.close();
  member.io?.close();
  member.children?.close();
}

/** A source for one process (or its tree) by pid, from /proc. */
export function procfsSource(options: ProcfsSourceOptions): ProcfsSource {
  return new ProcfsSource(options);
}
