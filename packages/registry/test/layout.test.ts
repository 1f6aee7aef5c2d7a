// Layout v3 checked from outside the binding: the raw bytes of /dev/shm/<name>
// read with fs, against the offsets of registry-abi.md.
import { statSync } from 'node:fs';
import { binding, SAMPLE_VALUE_ORDER } from '@sandmeter/native';
import { describe, expect, it } from 'vitest';
import { Registry, type SampleInput } from '../src/index.js';
import { freshRegistry, nativeMapping, rawBytes, rawSlot, shmPath, track, uniqueName } from './helpers.js';

const HEADER_LEN = 256;
const SLOT_LEN = 512;

// Every value distinct, and most with a non-zero high word, so a field read
// at the wrong offset or with swapped halves cannot pass.
const SAMPLE = {
  sampledAtMs: 1_700_000_123_456,
  cpuPercent: 37.25,
  vcpuTimeNs: 0x0000_0101_0000_0001n,
  memoryBytes: 0x0000_0202_0000_0002n,
  memoryAvailableBytes: 0x0000_0303_0000_0003n,
  memoryHostResidentBytes: 0x0000_0404_0000_0004n,
  diskReadBytes: 0x0000_0505_0000_0005n,
  diskWriteBytes: 0x0000_0606_0000_0006n,
  netRxBytes: 0x0000_0707_0000_0007n,
  netTxBytes: 0x0000_0808_0000_0008n,
  upperUsedBytes: 0x0000_0909_0000_0009n,
  upperFreeBytes: 0x0000_0a0a_0000_000an,
  upperHostAllocatedBytes: 0x0000_0b0b_0000_000bn,
} satisfies SampleInput;

const STARTED_AT = 1_700_000_000_000;
const NAME = 'layout-ünïcode';
const MEMORY_LIMIT = 0x0000_0c0c_0000_000cn;

/** A registry with one unrelated reservation in slot 0 and our sandbox, sampled, in slot 1. */
function writeKnownSample() {
  const reg = freshRegistry({ capacity: 4 });
  reg.reserve({ sandboxId: 1, name: 'filler' });
  const r = reg.reserve({ sandboxId: -17, name: NAME, memoryLimitBytes: MEMORY_LIMIT });
  const w = reg.activate({ ...r, runId: 0x1234_5678, pid: process.pid, startedAtMs: STARTED_AT });
  w.write(SAMPLE);
  return { reg, r };
}

describe('header bytes', () => {
  it('every header field sits at its ABI offset', () => {
    const before = Date.now();
    const { reg } = writeKnownSample();
    const after = Date.now();
    const h = rawBytes(reg.name);
    expect(h.length).toBe(HEADER_LEN + 4 * SLOT_LEN);
    expect(h.subarray(0x00, 0x08).toString('latin1')).toBe('MSBMET01');
    expect(h.readBigUInt64LE(0x00)).toBe(0x313054454d42534dn);
    expect(h.readUInt32LE(0x08)).toBe(3);
    expect(h.readUInt32LE(0x0c)).toBe(256);
    expect(h.readUInt32LE(0x10)).toBe(512);
    expect(h.readUInt32LE(0x14)).toBe(4);
    expect(h.readUInt32LE(0x18)).toBe(2);
    expect(h.readUInt32LE(0x1c)).toBe(0);
    const createdAt = Number(h.readBigInt64LE(0x20));
    expect(createdAt).toBeGreaterThanOrEqual(before - 1);
    expect(createdAt).toBeLessThanOrEqual(after + 1);
    // Two reservations minted generations 1 and 2.
    expect(h.readBigUInt64LE(0x28)).toBe(2n);
    expect(h.subarray(0x30, 0x100).every((b) => b === 0)).toBe(true);
  });

  it('the shm object is created with mode 0600 whatever the umask', () => {
    const old = process.umask(0);
    let reg: Registry;
    try {
      reg = track(Registry.create(uniqueName('mode'), { capacity: 1 }));
    } finally {
      process.umask(old);
    }
    expect(statSync(shmPath(reg.name)).mode & 0o777).toBe(0o600);
    expect(statSync(shmPath(reg.name)).size).toBe(HEADER_LEN + SLOT_LEN);
  });
});

describe('slot bytes', () => {
  it('every slot field sits at its ABI offset after a known write', () => {
    const { reg, r } = writeKnownSample();
    expect(r.slot).toBe(1);
    const s = rawSlot(reg.name, 1);
    expect(s.readUInt32LE(0x00)).toBe(2); // state active
    expect(s.readUInt32LE(0x04)).toBe(0);
    expect(s.readBigUInt64LE(0x08)).toBe(BigInt(r.generation));
    expect(s.readBigUInt64LE(0x08)).toBe(2n);
    const seq = s.readBigUInt64LE(0x10);
    expect(seq % 2n).toBe(0n);
    expect(seq).toBeGreaterThan(0n);
    expect(s.readInt32LE(0x18)).toBe(-17);
    expect(s.readInt32LE(0x1c)).toBe(0x1234_5678);
    expect(s.readInt32LE(0x20)).toBe(process.pid);
    expect(s.readUInt32LE(0x24)).toBe(0);
    expect(s.readBigInt64LE(0x28)).toBe(BigInt(STARTED_AT));
    expect(s.readBigInt64LE(0x30)).toBe(BigInt(SAMPLE.sampledAtMs));
    expect(s.readUInt32LE(0x38)).toBe(0x7f); // every v3 flag, no "unknown" extension bit
    expect(s.readUInt32LE(0x3c)).toBe(0);
    expect(s.readBigUInt64LE(0x40)).toBe(MEMORY_LIMIT);
    expect(s.readBigUInt64LE(0x48)).toBe(SAMPLE.vcpuTimeNs);
    expect(s.readUInt32LE(0x50)).toBe(Buffer.from(new Float32Array([SAMPLE.cpuPercent]).buffer).readUInt32LE(0));
    expect(s.readFloatLE(0x50)).toBe(37.25);
    expect(s.readUInt32LE(0x54)).toBe(0);
    expect(s.readBigUInt64LE(0x58)).toBe(SAMPLE.memoryBytes);
    expect(s.readBigUInt64LE(0x60)).toBe(SAMPLE.memoryAvailableBytes);
    expect(s.readBigUInt64LE(0x68)).toBe(SAMPLE.memoryHostResidentBytes);
    expect(s.readBigUInt64LE(0x70)).toBe(SAMPLE.diskReadBytes);
    expect(s.readBigUInt64LE(0x78)).toBe(SAMPLE.diskWriteBytes);
    expect(s.readBigUInt64LE(0x80)).toBe(SAMPLE.netRxBytes);
    expect(s.readBigUInt64LE(0x88)).toBe(SAMPLE.netTxBytes);
    expect(s.readBigUInt64LE(0x90)).toBe(SAMPLE.upperUsedBytes);
    expect(s.readBigUInt64LE(0x98)).toBe(SAMPLE.upperFreeBytes);
    expect(s.readBigUInt64LE(0xa0)).toBe(SAMPLE.upperHostAllocatedBytes);
    const nameBytes = Buffer.from(NAME, 'utf8');
    expect(s.readUInt16LE(0xa8)).toBe(nameBytes.length);
    expect(s.subarray(0xaa, 0xb0).every((b) => b === 0)).toBe(true);
    expect(s.subarray(0xb0, 0xb0 + nameBytes.length)).toEqual(nameBytes);
    expect(s.subarray(0xb0 + nameBytes.length, 0x130).every((b) => b === 0)).toBe(true);
    expect(s.subarray(0x130, 0x200).every((b) => b === 0)).toBe(true);
  });

  it('the reserved filler slot and the unused slots hold exactly what the ABI says', () => {
    const { reg } = writeKnownSample();
    const filler = rawSlot(reg.name, 0);
    expect(filler.readUInt32LE(0x00)).toBe(1); // reserved
    expect(filler.readBigUInt64LE(0x08)).toBe(1n);
    expect(filler.readInt32LE(0x18)).toBe(1);
    expect(filler.readInt32LE(0x1c)).toBe(0); // run_id 0 until activated
    expect(filler.readInt32LE(0x20)).toBe(0); // pid 0 until activated
    expect(filler.readBigInt64LE(0x30)).toBe(0n); // sampled_at 0 until the first sample
    expect(filler.readUInt16LE(0xa8)).toBe(6);
    for (const unused of [2, 3]) expect(rawSlot(reg.name, unused).every((b) => b === 0)).toBe(true);
  });

  it('a name shorter than an earlier one leaves no old bytes behind', () => {
    const reg = freshRegistry({ capacity: 1 });
    const long = reg.reserve({ sandboxId: 1, name: 'x'.repeat(128) });
    reg.releaseReserved(long);
    reg.reserve({ sandboxId: 2, name: 'ab' });
    const s = rawSlot(reg.name, 0);
    expect(s.readUInt16LE(0xa8)).toBe(2);
    expect(s.subarray(0xb0, 0xb2).toString()).toBe('ab');
    expect(s.subarray(0xb2, 0x130).every((b) => b === 0)).toBe(true);
  });

  it('disk and network left out set the sandmeter extension bits 0x80 and 0x100', () => {
    const reg = freshRegistry({ capacity: 1 });
    const r = reg.reserve({ sandboxId: 1, name: 'a' });
    reg.activate({ ...r, runId: 1 }).write({ sampledAtMs: 1, memoryBytes: 1 });
    const s = rawSlot(reg.name, 0);
    expect(s.readUInt32LE(0x38)).toBe(0x2 | 0x80 | 0x100);
    for (const off of [0x70, 0x78, 0x80, 0x88]) expect(s.readBigUInt64LE(off)).toBe(0n);
  });
});

describe('the JS and C++ halves agree', () => {
  it('binding.readSlot (C++) reads the same slot as the JS reader', () => {
    const { reg, r } = writeKnownSample();
    const native = binding.readSlot(nativeMapping(reg.name), r.slot, true);
    const [js] = reg.snapshotExact();
    expect(native).not.toBeNull();
    expect(js).toBeDefined();
    const n = native!;
    const j = js!;
    expect(n.state).toBe(2);
    expect(n.generation).toBe(BigInt(j.generation));
    expect([n.sandboxId, n.runId, n.pid]).toEqual([j.sandboxId, j.runId, j.pid]);
    expect(n.startedAtMs).toBe(BigInt(j.startedAtMs));
    expect(n.sampledAtMs).toBe(BigInt(j.sampledAtMs));
    expect(n.cpuPercent).toBe(j.cpuPercent);
    expect(Buffer.from(n.name).toString('utf8')).toBe(j.name);
    expect(n.memoryLimitBytes).toBe(j.memoryLimitBytes);
    for (const k of [
      'vcpuTimeNs', 'memoryBytes', 'memoryAvailableBytes', 'memoryHostResidentBytes', 'diskReadBytes', 'diskWriteBytes',
      'netRxBytes', 'netTxBytes', 'upperUsedBytes', 'upperFreeBytes', 'upperHostAllocatedBytes',
    ] as const) {
      expect(n[k], k).toBe(j[k]);
      expect(n[k], k).toBe(SAMPLE[k]);
    }
  });

  it('the JS writer and binding.writeSample produce the same bytes for the same sample', () => {
    // Values the C++ entry point can take exactly (it receives doubles).
    const sample = {
      sampledAtMs: 1_700_000_999_999,
      cpuPercent: 0.1, // not exact in f32: both sides must round it the same way
      vcpuTimeNs: 2 ** 52 + 3,
      memoryBytes: 2 ** 40 + 5,
      memoryAvailableBytes: 6,
      memoryHostResidentBytes: 0,
      diskReadBytes: 2 ** 33,
      diskWriteBytes: 9,
      netRxBytes: 10,
      netTxBytes: 2 ** 32 - 1,
      upperUsedBytes: 12,
      upperFreeBytes: 13,
      upperHostAllocatedBytes: 14,
    } satisfies SampleInput;
    const reg = freshRegistry({ capacity: 2 });
    const identity = { sandboxId: 9, name: 'twin', memoryLimitBytes: 123 };
    const jsR = reg.reserve(identity);
    const cR = reg.reserve(identity);
    const start = { runId: 5, pid: process.pid, startedAtMs: STARTED_AT };
    reg.activate({ ...jsR, ...start }).write(sample);
    reg.activate({ ...cR, ...start });
    const values = new Float64Array(SAMPLE_VALUE_ORDER.length);
    SAMPLE_VALUE_ORDER.forEach((k, i) => {
      values[i] = k === 'flags' ? 0x7f : sample[k];
    });
    binding.writeSample(nativeMapping(reg.name), cR.slot, cR.generation, values);

    const js = Buffer.from(rawSlot(reg.name, jsR.slot));
    const c = Buffer.from(rawSlot(reg.name, cR.slot));
    // Generations differ by design; every other byte, seq included, must match.
    expect(js.readBigUInt64LE(0x08)).not.toBe(c.readBigUInt64LE(0x08));
    js.fill(0, 0x08, 0x10);
    c.fill(0, 0x08, 0x10);
    expect(js.equals(c)).toBe(true);
    expect(js.readUInt32LE(0x38)).toBe(0x7f);
  });

  it('a sample written by binding.writeSample reads back through the JS reader', () => {
    const reg = freshRegistry({ capacity: 1 });
    const r = reg.reserve({ sandboxId: 4, name: 'c' });
    reg.activate({ ...r, runId: 1 });
    const values = new Float64Array(SAMPLE_VALUE_ORDER.length);
    SAMPLE_VALUE_ORDER.forEach((k, i) => {
      values[i] = i + 1;
    });
    values[1] = 0x2 | 0x80; // memory used only; disk unknown, network known
    binding.writeSample(nativeMapping(reg.name), r.slot, r.generation, values);
    expect(reg.snapshot()[0]).toMatchObject({
      sampledAtMs: 1,
      cpuPercent: undefined,
      vcpuTimeNs: undefined,
      memoryBytes: 5,
      memoryAvailableBytes: undefined,
      diskReadBytes: undefined,
      netRxBytes: 10,
      netTxBytes: 11,
    });
  });
});
