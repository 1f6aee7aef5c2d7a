// A cgroup (containers): v2 files first, v1 files where v2 has none.

import { existsSync } from 'node:fs';
import { SystemError } from '@sandmeter/registry';
import { invalidArgument } from '../errors.js';
import {
  cgroupLocationFromPath,
  cgroupLocationOfPid,
  joinCgroup,
  unifiedMount,
  v1ControllerMount,
  type CgroupLocation,
} from './cgroup-location.js';
import { cgroupPopulated, keyedValue, parseBlkioServiceBytes, parseIoStat } from './cgroup-parse.js';
import { ProcFile, READ_GONE, procBuffer } from './proc-file.js';
import { bytesOf, parseLeadingUnsigned, parseLeadingUnsignedBig } from './procfs-parse.js';
import { gone, ok, type MetricField, type MetricSource, type Metrics, type Reading } from './types.js';

export interface CgroupSourceOptions {
  /** Where cgroupfs is mounted (default '/sys/fs/cgroup'); a fixture tree in tests. */
  root?: string;
  /** One path for every hierarchy, e.g. "/docker/abc" ... */
  path?: string;
  /** ... or explicit paths per hierarchy ... */
  location?: CgroupLocation;
  /** ... or the cgroups of this process (from <procRoot>/<pid>/cgroup). */
  pid?: number;
  procRoot?: string;
  /** Hold the files open between reads (default true). */
  keepOpen?: boolean;
}

/** v1 reports "no limit" as a huge page-aligned number near 2^63. */
const V1_UNLIMITED = 2n ** 62n;
const USAGE_USEC = bytesOf('usage_usec');

type IoFormat = 'v2' | 'v1';

export class CgroupSource implements MetricSource {
  readonly kind = 'cgroup';
  readonly fields: ReadonlySet<MetricField>;
  /** The files this source reads, for logs and tests. */
  readonly files: Readonly<Record<string, string>>;

  private readonly cpuFile: ProcFile | undefined;
  private readonly cpuIsV2: boolean;
  private readonly memoryFile: ProcFile | undefined;
  private readonly limitFile: ProcFile | undefined;
  private readonly limitIsV2: boolean;
  private readonly ioFile: ProcFile | undefined;
  private readonly ioFormat: IoFormat;
  private readonly eventsFile: ProcFile | undefined;
  private goneReason: string | undefined;

  constructor(options: CgroupSourceOptions) {
    const root = options.root ?? '/sys/fs/cgroup';
    const location = resolveLocation(options);
    const keepOpen = options.keepOpen ?? true;
    const unified = unifiedMount(root);
    const v2Dir = unified !== undefined && location.unified !== undefined ? joinCgroup(unified, location.unified) : undefined;
    const v1Dir = (controller: string): string | undefined => {
      const path = location.controllers?.[controller];
      const mount = path === undefined ? undefined : v1ControllerMount(root, controller);
      return mount === undefined || path === undefined ? undefined : joinCgroup(mount, path);
    };
    const pick = (candidates: Array<string | undefined>): string | undefined =>
      candidates.find((file) => file !== undefined && existsSync(file));
    const files: Record<string, string> = {};
    const fields: MetricField[] = [];
    const open = (role: string, file: string | undefined): ProcFile | undefined => {
      if (file === undefined) return undefined;
      files[role] = file;
      return new ProcFile(file, keepOpen);
    };

    const cpuV1Dir = v1Dir('cpuacct');
    const cpu = pick([v2Dir && `${v2Dir}/cpu.stat`, cpuV1Dir && `${cpuV1Dir}/cpuacct.usage`]);
    this.cpuIsV2 = cpu !== undefined && cpu.endsWith('/cpu.stat');
    this.cpuFile = open('cpu', cpu);
    if (this.cpuFile) fields.push('cpuTimeNs');

    const memV1Dir = v1Dir('memory');
    this.memoryFile = open('memory', pick([v2Dir && `${v2Dir}/memory.current`, memV1Dir && `${memV1Dir}/memory.usage_in_bytes`]));
    if (this.memoryFile) fields.push('memoryBytes');
    const limit = pick([v2Dir && `${v2Dir}/memory.max`, memV1Dir && `${memV1Dir}/memory.limit_in_bytes`]);
    this.limitIsV2 = limit !== undefined && limit.endsWith('/memory.max');
    this.limitFile = this.memoryFile ? open('memoryLimit', limit) : undefined;
    if (this.limitFile) fields.push('memoryAvailableBytes', 'memoryLimitBytes');

    const blkioDir = v1Dir('blkio');
    const io = pick([
      v2Dir && `${v2Dir}/io.stat`,
      blkioDir && `${blkioDir}/blkio.throttle.io_service_bytes`,
      blkioDir && `${blkioDir}/blkio.io_service_bytes`,
    ]);
    this.ioFormat = io !== undefined && io.endsWith('/io.stat') ? 'v2' : 'v1';
    this.ioFile = open('io', io);
    if (this.ioFile) fields.push('diskReadBytes', 'diskWriteBytes');

    this.eventsFile = open('events', pick([v2Dir && `${v2Dir}/cgroup.events`]));
    this.fields = new Set(fields);
    this.files = files;
    if (fields.length === 0) {
      invalidArgument('cgroup', `no cgroup files found under ${root} for ${JSON.stringify(location)}; check root and path`);
    }
  }

  read(): Reading {
    if (this.goneReason !== undefined) return gone(this.goneReason);
    if (this.eventsFile !== undefined) {
      const len = this.eventsFile.read();
      if (len === READ_GONE) return this.markGone('cgroup removed');
      if (len >= 0 && !cgroupPopulated(procBuffer(), len)) return this.markGone('cgroup has no processes left');
    }
    const metrics: Metrics = {};
    if (this.cpuFile !== undefined) {
      const len = this.readOrThrow(this.cpuFile);
      if (len < 0) return this.markGone('cgroup removed');
      const value = this.cpuIsV2 ? keyedValue(procBuffer(), len, USAGE_USEC) : parseLeadingUnsigned(procBuffer(), len);
      if (value !== undefined) metrics.cpuTimeNs = this.cpuIsV2 ? usecToNs(value) : value;
    }
    if (this.memoryFile !== undefined) {
      const len = this.readOrThrow(this.memoryFile);
      if (len < 0) return this.markGone('cgroup removed');
      const used = parseLeadingUnsigned(procBuffer(), len);
      if (used !== undefined) metrics.memoryBytes = used;
      if (this.limitFile !== undefined && used !== undefined) {
        const llen = this.readOrThrow(this.limitFile);
        if (llen < 0) return this.markGone('cgroup removed');
        const limit = parseLeadingUnsignedBig(procBuffer(), llen); // "max" gives undefined
        if (limit !== undefined && (this.limitIsV2 || limit < V1_UNLIMITED)) {
          metrics.memoryLimitBytes = limit <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(limit) : limit;
          const available = limit - BigInt(used);
          metrics.memoryAvailableBytes = available > 0n ? Number(available) : 0;
        }
      }
    }
    if (this.ioFile !== undefined) {
      const len = this.readOrThrow(this.ioFile);
      if (len < 0) return this.markGone('cgroup removed');
      const io = this.ioFormat === 'v2' ? parseIoStat(procBuffer(), len) : parseBlkioServiceBytes(procBuffer(), len);
      metrics.diskReadBytes = io.readBytes;
      metrics.diskWriteBytes = io.writeBytes;
    }
    return ok(metrics);
  }

  close(): void {
    for (const file of [this.cpuFile, this.memoryFile, this.limitFile, this.ioFile, this.eventsFile]) file?.close();
  }

  /** Length, or READ_GONE; other failures are errors the sampler logs and retries. */
  private readOrThrow(file: ProcFile): number {
    const len = file.read();
    if (len >= 0 || len === READ_GONE) return len;
    throw new SystemError(`cannot read ${file.path}; check permissions on the cgroup tree`, undefined);
  }

  private markGone(reason: string): Reading {
    this.goneReason = reason;
    this.close();
    return gone(reason);
  }
}

function usecToNs(usec: number): number | bigint {
  const ns = usec * 1000;
  return ns <= Number.MAX_SAFE_INTEGER ? ns : BigInt(usec) * 1000n;
}

function resolveLocation(options: CgroupSourceOptions): CgroupLocation {
  if (options.location !== undefined) return options.location;
  if (options.path !== undefined) return cgroupLocationFromPath(options.path);
  if (options.pid !== undefined) {
    const location = cgroupLocationOfPid(options.pid, options.procRoot);
    if (location === undefined) invalidArgument('pid', `cannot read the cgroups of pid ${options.pid}; is it running?`);
    return location;
  }
  return invalidArgument('options', 'cgroupSource needs one of path, location or pid');
}

/** A source for one cgroup, v2 with v1 fallbacks. */
export function cgroupSource(options: CgroupSourceOptions): CgroupSource {
  return new CgroupSource(options);
}
