// Bad input: each gives its typed error, nothing crashes, nothing is left
// half-written.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Registry, type InvalidArgumentError, type LayoutMismatchError, type ReserveOptions } from '../src/index.js';
import { expectCode, freshRegistry, rawBytes, shmPath, track, trackName, uniqueName } from './helpers.js';

const HEADER_LEN = 256;
const SLOT_LEN = 512;

/** A header that is valid for `capacity` slots, to be spoiled one field at a time. */
function validHeader(capacity: number): Buffer {
  const h = Buffer.alloc(HEADER_LEN);
  h.write('MSBMET01', 0, 'latin1');
  h.writeUInt32LE(3, 0x08);
  h.writeUInt32LE(HEADER_LEN, 0x0c);
  h.writeUInt32LE(SLOT_LEN, 0x10);
  h.writeUInt32LE(capacity, 0x14);
  h.writeUInt32LE(2, 0x18);
  h.writeBigInt64LE(BigInt(Date.now()), 0x20);
  return h;
}

/** Writes a foreign object straight into /dev/shm with fs; removed after the test. */
function foreignObject(bytes: Buffer): string {
  const name = uniqueName('foreign');
  writeFileSync(shmPath(name), bytes, { mode: 0o600 });
  return name;
}

function fullObject(header: Buffer, capacity = 2): Buffer {
  return Buffer.concat([header, Buffer.alloc(capacity * SLOT_LEN)]);
}

describe('sandbox names', () => {
  const BAD_NAMES: [string, unknown][] = [
    ['over 128 bytes', 'x'.repeat(129)],
    ['over 128 bytes of UTF-8 in fewer characters', 'é'.repeat(65)],
    ['with a NUL byte', 'a\0b'],
    ['with a lone surrogate', 'a\ud800b'],
    ['with a lone low surrogate', '\udc00'],
    ['invalid UTF-8 bytes (0xff)', new Uint8Array([0x61, 0xff, 0x62])],
    ['a truncated UTF-8 sequence', new Uint8Array([0xc3])],
    ['a number', 42],
    ['missing', undefined],
  ];

  it.each(BAD_NAMES)('a name %s is INVALID_ARGUMENT and takes no slot', (_label, name) => {
    const reg = freshRegistry({ capacity: 2 });
    const snapBefore = reg.snapshotExact();
    const err = expectCode<InvalidArgumentError>(() => reg.reserve({ sandboxId: 1, name } as ReserveOptions), 'SANDMETER_INVALID_ARGUMENT');
    expect(err.argument).toBe('name');
    expect(reg.usage()).toEqual({ free: 2, reserved: 0, active: 0, stale: 0 });
    expect(reg.snapshotExact()).toEqual(snapBefore);
    expect(rawBytes(reg.name).subarray(HEADER_LEN).every((b) => b === 0)).toBe(true);
  });

  it('names of exactly 128 bytes, empty names and valid UTF-8 bytes are accepted', () => {
    const reg = freshRegistry({ capacity: 4 });
    for (const name of ['x'.repeat(128), 'é'.repeat(64), '', new Uint8Array([0xc3, 0xa9])]) {
      const r = reg.reserve({ sandboxId: 1, name } as ReserveOptions);
      reg.activate({ ...r, runId: 1 }).write({ sampledAtMs: 1 });
    }
    expect(reg.snapshot().map((m) => m.name)).toEqual(['x'.repeat(128), 'é'.repeat(64), '', 'é']);
  });

  it.each([
    ['sandboxId 1.5', { sandboxId: 1.5, name: 'a' }, 'sandboxId'],
    ['sandboxId 2^31', { sandboxId: 2 ** 31, name: 'a' }, 'sandboxId'],
    ['sandboxId as a string', { sandboxId: '1', name: 'a' }, 'sandboxId'],
    ['no options object', null, 'options'],
  ])('reserve with %s is INVALID_ARGUMENT and takes no slot', (_label, options, argument) => {
    const reg = freshRegistry({ capacity: 2 });
    const err = expectCode<InvalidArgumentError>(() => reg.reserve(options as ReserveOptions), 'SANDMETER_INVALID_ARGUMENT');
    expect(err.argument).toBe(argument);
    expect(reg.usage()).toEqual({ free: 2, reserved: 0, active: 0, stale: 0 });
  });
});

describe('capacity', () => {
  it.each([
    ['0', 0],
    ['2^20 + 1', 2 ** 20 + 1],
    ['1.5', 1.5],
    ['-1', -1],
    ['NaN', Number.NaN],
    ['a string', '8'],
  ])('capacity %s is INVALID_ARGUMENT and creates nothing', (_label, capacity) => {
    const name = uniqueName('cap');
    for (const open of [Registry.openOrCreate, Registry.create]) {
      const err = expectCode<InvalidArgumentError>(() => open(name, { capacity: capacity as number }), 'SANDMETER_INVALID_ARGUMENT');
      expect(err.argument).toBe('capacity');
    }
    expectCode(() => Registry.open(name), 'SANDMETER_NOT_FOUND');
  });

  it('capacity 2^20 is accepted', () => {
    const reg = track(Registry.create(uniqueName('big'), { capacity: 2 ** 20 }));
    expect(reg.capacity).toBe(2 ** 20);
    // One reservation only: a full scan would touch (and allocate) all 512 MiB.
    expect(reg.reserve({ sandboxId: 1, name: 'a' }).slot).toBe(0);
  });

  it('opening with a capacity other than the existing one is LAYOUT_MISMATCH on capacity', () => {
    const reg = freshRegistry({ capacity: 8 });
    for (const open of [Registry.open, Registry.openOrCreate]) {
      const err = expectCode<LayoutMismatchError>(() => open(reg.name, { capacity: 16 }), 'SANDMETER_LAYOUT_MISMATCH');
      expect(err.field).toBe('capacity');
      expect(err.found).toBe(8);
      expect(err.expectedValue).toBe(16);
    }
  });

  it('open without a capacity takes the one in the header', () => {
    const reg = freshRegistry({ capacity: 5 });
    const again = track(Registry.open(reg.name));
    expect(again.capacity).toBe(5);
    expect(again.created).toBe(false);
  });
});

describe('registry names', () => {
  it.each([
    ['a second slash', '/sm-test/bad'],
    ['no leading slash', 'sm-test-bad'],
    ['only a slash', '/'],
    ['a NUL byte', '/sm-test\0bad'],
    ['over 255 bytes', `/${'x'.repeat(255)}`],
    ['an empty string', ''],
    ['a number', 7],
  ])('a registry name with %s is INVALID_ARGUMENT for every entry point', (_label, name) => {
    const n = name as string;
    const calls = [
      () => Registry.openOrCreate(n, { capacity: 1 }),
      () => Registry.create(n, { capacity: 1 }),
      () => Registry.open(n),
      () => Registry.unlink(n),
      () => Registry.unlink(n, { missingOk: true }),
    ];
    for (const call of calls) {
      const err = expectCode<InvalidArgumentError>(call, 'SANDMETER_INVALID_ARGUMENT');
      expect(err.argument).toBe('name');
    }
  });

  it('a name of exactly 255 bytes is accepted', () => {
    const name = trackName(`/sm-test-long-${process.pid}-`.padEnd(255, 'x'));
    const reg = track(Registry.create(name, { capacity: 1 }));
    expect(reg.name.length).toBe(255);
  });

  it('opening a missing registry is NOT_FOUND, and so is unlinking one', () => {
    const name = uniqueName('missing');
    expectCode(() => Registry.open(name), 'SANDMETER_NOT_FOUND');
    expectCode(() => Registry.unlink(name), 'SANDMETER_NOT_FOUND');
    Registry.unlink(name, { missingOk: true });
  });

  it('creating a registry that exists is ALREADY_EXISTS and leaves it intact', () => {
    const reg = freshRegistry({ capacity: 2 });
    const r = reg.reserve({ sandboxId: 1, name: 'a' });
    expectCode(() => Registry.create(reg.name, { capacity: 2 }), 'SANDMETER_ALREADY_EXISTS');
    expect(reg.usage().reserved).toBe(1);
    reg.activate({ ...r, runId: 1 });
  });
});

describe('foreign shm objects', () => {
  const openAll = (name: string, capacity: number) => [() => Registry.open(name), () => Registry.openOrCreate(name, { capacity })];

  function expectLayoutField(name: string, field: string, capacity = 2): void {
    for (const open of openAll(name, capacity)) {
      const err = expectCode<LayoutMismatchError>(open, 'SANDMETER_LAYOUT_MISMATCH');
      expect(err.field).toBe(field);
    }
  }

  it('random bytes of full size are LAYOUT_MISMATCH on magic', () => {
    const random = randomBytes(HEADER_LEN + 2 * SLOT_LEN);
    // Whatever the random state word holds, the object is not ours: the
    // verdict must be about the magic.
    for (const state of [random.readUInt32LE(0x18), 0, 1, 2, 0xffffffff]) {
      random.writeUInt32LE(state, 0x18);
      const name = foreignObject(random);
      expectLayoutField(name, 'magic');
      expect(rawBytes(name).equals(random)).toBe(true);
    }
  });

  it('an object shorter than a header (100 bytes) is LAYOUT_MISMATCH on size', () => {
    const bytes = randomBytes(100);
    const name = foreignObject(bytes);
    expectLayoutField(name, 'size');
    expect(rawBytes(name).equals(bytes)).toBe(true);
  });

  it('an empty object (creator died before sizing it) is LAYOUT_MISMATCH on size after a bounded wait', () => {
    const err = expectCode<LayoutMismatchError>(() => Registry.open(foreignObject(Buffer.alloc(0))), 'SANDMETER_LAYOUT_MISMATCH');
    expect(err.field).toBe('size');
  });

  it('a valid header over an object shorter than its capacity is LAYOUT_MISMATCH on size', () => {
    const name = foreignObject(fullObject(validHeader(4), 2));
    expectLayoutField(name, 'size', 4);
  });

  it.each([
    ['magic', (h: Buffer) => h.write('MSBMET02', 0, 'latin1'), 'magic'],
    ['version 2', (h: Buffer) => h.writeUInt32LE(2, 0x08), 'version'],
    ['version 4', (h: Buffer) => h.writeUInt32LE(4, 0x08), 'version'],
    ['header_len 128', (h: Buffer) => h.writeUInt32LE(128, 0x0c), 'header_len'],
    ['slot_len 256', (h: Buffer) => h.writeUInt32LE(256, 0x10), 'slot_len'],
    ['capacity 0', (h: Buffer) => h.writeUInt32LE(0, 0x14), 'capacity'],
    ['capacity 2^20 + 1', (h: Buffer) => h.writeUInt32LE(2 ** 20 + 1, 0x14), 'capacity'],
    ['state 7', (h: Buffer) => h.writeUInt32LE(7, 0x18), 'state'],
  ])('a header with a wrong %s is LAYOUT_MISMATCH naming %s', (_label, spoil, field) => {
    const header = validHeader(2);
    spoil(header);
    const bytes = fullObject(header);
    const name = foreignObject(bytes);
    expectLayoutField(name, field);
    // Refused objects are never written to.
    expect(rawBytes(name).equals(bytes)).toBe(true);
  });

  it('the untouched valid header opens, so the spoilt cases above fail for their field alone', () => {
    const name = foreignObject(fullObject(validHeader(2)));
    const reg = track(Registry.open(name));
    expect(reg.capacity).toBe(2);
    expect(reg.usage().free).toBe(2);
  });

  it('a header that never becomes ready (creator died) is LAYOUT_MISMATCH on state after a bounded wait', () => {
    const name = foreignObject(Buffer.alloc(HEADER_LEN + 2 * SLOT_LEN));
    const err = expectCode<LayoutMismatchError>(() => Registry.open(name), 'SANDMETER_LAYOUT_MISMATCH');
    expect(err.field).toBe('state');
  });
});

describe('slot indexes and generations', () => {
  const BAD_SLOTS: [string, (cap: number) => unknown][] = [
    ['equal to the capacity', (cap) => cap],
    ['past the capacity', (cap) => cap + 100],
    ['negative', () => -1],
    ['fractional', () => 0.5],
    ['NaN', () => Number.NaN],
    ['a string', () => '0'],
  ];

  it.each(BAD_SLOTS)('a slot index %s is INVALID_ARGUMENT for every slot call', (_label, make) => {
    const reg = freshRegistry({ capacity: 4 });
    const r = reg.reserve({ sandboxId: 1, name: 'a' });
    const slot = make(reg.capacity) as number;
    const calls = [
      () => reg.activate({ slot, generation: r.generation, runId: 1 }),
      () => reg.release(slot, r.generation),
      () => reg.releaseReserved({ slot, generation: r.generation }),
      () => reg.read(slot),
      () => reg.generationOf(slot),
    ];
    for (const call of calls) {
      const err = expectCode<InvalidArgumentError>(call, 'SANDMETER_INVALID_ARGUMENT');
      expect(err.argument).toBe('slot');
    }
    expect(reg.usage()).toEqual({ free: 3, reserved: 1, active: 0, stale: 0 });
  });

  it.each([0, -1, 1.5, Number.NaN, 2 ** 53])('generation %s is INVALID_ARGUMENT', (generation) => {
    const reg = freshRegistry({ capacity: 2 });
    const r = reg.reserve({ sandboxId: 1, name: 'a' });
    expectCode(() => reg.activate({ slot: r.slot, generation, runId: 1 }), 'SANDMETER_INVALID_ARGUMENT');
    expectCode(() => reg.release(r.slot, generation), 'SANDMETER_INVALID_ARGUMENT');
    expectCode(() => reg.releaseReserved({ slot: r.slot, generation }), 'SANDMETER_INVALID_ARGUMENT');
    expect(reg.usage().reserved).toBe(1);
  });

  it.each([
    ['runId 1.5', { runId: 1.5 }, 'runId'],
    ['pid 2^31', { runId: 1, pid: 2 ** 31 }, 'pid'],
    ['startedAtMs NaN', { runId: 1, startedAtMs: Number.NaN }, 'startedAtMs'],
  ])('activate with %s is INVALID_ARGUMENT and the slot stays reserved', (_label, extra, argument) => {
    const reg = freshRegistry({ capacity: 2 });
    const r = reg.reserve({ sandboxId: 1, name: 'a' });
    const err = expectCode<InvalidArgumentError>(() => reg.activate({ ...r, ...(extra as { runId: number }) }), 'SANDMETER_INVALID_ARGUMENT');
    expect(err.argument).toBe(argument);
    expect(reg.usage().reserved).toBe(1);
    reg.activate({ ...r, runId: 1 });
  });

  it("a release mode other than 'stale' or 'free' is INVALID_ARGUMENT and changes nothing", () => {
    const reg = freshRegistry({ capacity: 2 });
    const r = reg.reserve({ sandboxId: 1, name: 'a' });
    reg.activate({ ...r, runId: 1 });
    expectCode(() => reg.release(r.slot, r.generation, 'gone' as 'free'), 'SANDMETER_INVALID_ARGUMENT');
    expect(reg.generationOf(r.slot)).toBe(r.generation);
    expect(reg.usage().active).toBe(1);
  });

  it('a negative livenessTtlMs is INVALID_ARGUMENT', () => {
    const reg = freshRegistry();
    expectCode(() => track(Registry.open(reg.name, { livenessTtlMs: -1 })), 'SANDMETER_INVALID_ARGUMENT');
  });
});
