// u64 counters: exact through bigint, never silently rounded through number,
// and bad numbers refused before anything is written.
import { binding } from '@sandmeter/native';
import { describe, expect, it } from 'vitest';
import type { InvalidArgumentError, Registry, SampleInput } from '../src/index.js';
import { expectCode, freshRegistry, nativeMapping, rawSeq, rawSlot } from './helpers.js';

const BIG = 2n ** 60n + 1n; // not representable as a double
const MAX_U64 = 2n ** 64n - 1n;

const U64_FIELDS = [
  'vcpuTimeNs', 'memoryBytes', 'memoryAvailableBytes', 'memoryHostResidentBytes', 'diskReadBytes',
  'diskWriteBytes', 'netRxBytes', 'netTxBytes', 'upperUsedBytes', 'upperFreeBytes', 'upperHostAllocatedBytes',
] as const;

const GOOD: SampleInput = {
  sampledAtMs: 1_700_000_000_000,
  cpuPercent: 3,
  vcpuTimeNs: 1,
  memoryBytes: 2,
  memoryAvailableBytes: 3,
  memoryHostResidentBytes: 4,
  diskReadBytes: 5,
  diskWriteBytes: 6,
  netRxBytes: 7,
  netTxBytes: 8,
  upperUsedBytes: 9,
  upperFreeBytes: 10,
  upperHostAllocatedBytes: 11,
};

function activeSlot(reg: Registry, memoryLimitBytes: number | bigint = 0) {
  const r = reg.reserve({ sandboxId: 1, name: 'n', memoryLimitBytes });
  return { r, w: reg.activate({ ...r, runId: 1 }) };
}

describe('values above 2^53', () => {
  it('a bigint above 2^53 is read exactly by snapshotExact() and by binding.readSlot', () => {
    const reg = freshRegistry();
    const { r, w } = activeSlot(reg);
    w.write({ ...GOOD, vcpuTimeNs: BIG, memoryBytes: BIG + 1n });
    const [exact] = reg.snapshotExact();
    expect(exact?.vcpuTimeNs).toBe(BIG);
    expect(exact?.memoryBytes).toBe(BIG + 1n);
    expect(exact?.diskReadBytes).toBe(5n);
    const native = binding.readSlot(nativeMapping(reg.name), r.slot, true);
    expect(native?.vcpuTimeNs).toBe(BIG);
    expect(native?.memoryBytes).toBe(BIG + 1n);
  });

  it('the number snapshot names every field above 2^53 in `inexact` and no other', () => {
    const reg = freshRegistry();
    const { w } = activeSlot(reg, BIG);
    w.write({ ...GOOD, vcpuTimeNs: BIG, upperFreeBytes: MAX_U64 });
    const [m] = reg.snapshot();
    expect([...(m?.inexact ?? [])].sort()).toEqual(['memoryLimitBytes', 'upperFreeBytes', 'vcpuTimeNs']);
    // The rounded value is the nearest double, not a wrapped or truncated one.
    expect(m?.vcpuTimeNs).toBe(Number(BIG));
    expect(m?.upperFreeBytes).toBe(Number(MAX_U64));
    expect(m?.memoryBytes).toBe(2);
    expect(reg.snapshotExact()[0]?.inexact).toEqual([]);
  });

  it('exact values in the number snapshot leave `inexact` empty, MAX_SAFE_INTEGER included', () => {
    const reg = freshRegistry();
    const { w } = activeSlot(reg, Number.MAX_SAFE_INTEGER);
    w.write({ ...GOOD, vcpuTimeNs: Number.MAX_SAFE_INTEGER, memoryBytes: 2 ** 32, diskReadBytes: 2 ** 32 - 1 });
    const [m] = reg.snapshot();
    expect(m).toMatchObject({ memoryLimitBytes: Number.MAX_SAFE_INTEGER, vcpuTimeNs: Number.MAX_SAFE_INTEGER, memoryBytes: 2 ** 32, diskReadBytes: 2 ** 32 - 1, inexact: [] });
  });

  it('2^64 - 1 round-trips exactly and 2^64 is refused', () => {
    const reg = freshRegistry();
    const { w } = activeSlot(reg);
    w.write({ ...GOOD, netTxBytes: MAX_U64 });
    expect(reg.snapshotExact()[0]?.netTxBytes).toBe(MAX_U64);
    const err = expectCode<InvalidArgumentError>(() => w.write({ ...GOOD, netTxBytes: MAX_U64 + 1n }), 'SANDMETER_INVALID_ARGUMENT');
    expect(err.argument).toBe('netTxBytes');
    expect(reg.snapshotExact()[0]?.netTxBytes).toBe(MAX_U64);
  });

  it('a memory limit above 2^53 given as a bigint is stored exactly', () => {
    const reg = freshRegistry();
    const { r, w } = activeSlot(reg, BIG);
    w.write(GOOD);
    expect(reg.snapshotExact()[0]?.memoryLimitBytes).toBe(BIG);
    expect(rawSlot(reg.name, r.slot).readBigUInt64LE(0x40)).toBe(BIG);
  });
});

describe('bad numbers are refused and nothing is written', () => {
  const BAD: [string, unknown][] = [
    ['above MAX_SAFE_INTEGER', Number.MAX_SAFE_INTEGER + 1],
    ['2^60 as a number', 2 ** 60],
    ['negative', -1],
    ['negative zero fraction', -0.5],
    ['fraction', 1.5],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['negative bigint', -1n],
    ['a string', '5'],
    ['null', null],
  ];

  describe.each(BAD)('%s', (_label, bad) => {
    it.each(U64_FIELDS)('as %s: INVALID_ARGUMENT naming the field, previous sample intact, seq even', (field) => {
      const reg = freshRegistry({ capacity: 1 });
      const { r, w } = activeSlot(reg);
      w.write(GOOD);
      const bytesBefore = Buffer.from(rawSlot(reg.name, r.slot));
      const exactBefore = reg.snapshotExact();
      const err = expectCode<InvalidArgumentError>(() => w.write({ ...GOOD, sampledAtMs: 42, [field]: bad }), 'SANDMETER_INVALID_ARGUMENT');
      expect(err.argument).toBe(field);
      expect(rawSlot(reg.name, r.slot).equals(bytesBefore)).toBe(true);
      expect(rawSeq(reg.name, r.slot) % 2n).toBe(0n);
      expect(reg.snapshotExact()).toEqual(exactBefore);
      // The writer is still usable afterwards.
      w.write({ ...GOOD, [field]: 99 });
      expect(reg.snapshot()[0]?.[field]).toBe(99);
    });
  });

  // null is "not given" for an option (the default limit 0 applies), so it is not in this list.
  it.each(BAD.filter(([, v]) => v !== null))('memoryLimitBytes %s: reserve refuses it and no slot is taken', (_label, bad) => {
    const reg = freshRegistry();
    const before = reg.usage();
    const err = expectCode<InvalidArgumentError>(
      () => reg.reserve({ sandboxId: 1, name: 'n', memoryLimitBytes: bad as number }),
      'SANDMETER_INVALID_ARGUMENT',
    );
    expect(err.argument).toBe('memoryLimitBytes');
    expect(reg.usage()).toEqual(before);
  });

  it.each([
    ['cpuPercent', Number.NaN],
    ['cpuPercent', -1],
    ['cpuPercent', Number.POSITIVE_INFINITY],
    ['sampledAtMs', 1.5],
    ['sampledAtMs', Number.NaN],
    ['sampledAtMs', 2 ** 60],
  ] as const)('%s = %s is refused and nothing is written', (field, bad) => {
    const reg = freshRegistry({ capacity: 1 });
    const { r, w } = activeSlot(reg);
    w.write(GOOD);
    const bytesBefore = Buffer.from(rawSlot(reg.name, r.slot));
    const err = expectCode<InvalidArgumentError>(() => w.write({ ...GOOD, [field]: bad }), 'SANDMETER_INVALID_ARGUMENT');
    expect(err.argument).toBe(field);
    expect(rawSlot(reg.name, r.slot).equals(bytesBefore)).toBe(true);
  });
});
