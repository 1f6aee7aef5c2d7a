// Layout v3 as indices into 32-bit views of the mapping (byte offset / 4).
// The C++ side asserts the same offsets at compile time (native/src/layout.h).

export const HEADER_LEN = 256;
export const SLOT_LEN = 512;
export const MAX_CAPACITY = 1 << 20;
export const MAX_NAME_LEN = 128;
export const DEFAULT_CAPACITY = 1024;

/** u32 index of slot `i`'s first word. */
export const slotBase = (i: number): number => (HEADER_LEN + i * SLOT_LEN) >>> 2;

// Word offsets within a slot (byte offset / 4). 64-bit fields: low word at
// the offset, high word at offset + 1 (little-endian).
export const W_STATE = 0x00 >> 2;
export const W_GENERATION = 0x08 >> 2;
export const W_SEQ = 0x10 >> 2;
export const W_SANDBOX_ID = 0x18 >> 2;
export const W_RUN_ID = 0x1c >> 2;
export const W_PID = 0x20 >> 2;
export const W_STARTED_AT = 0x28 >> 2;
export const W_SAMPLED_AT = 0x30 >> 2;
export const W_FLAGS = 0x38 >> 2;
export const W_MEMORY_LIMIT = 0x40 >> 2;
export const W_VCPU_TIME = 0x48 >> 2;
export const W_CPU_PERCENT = 0x50 >> 2;
export const W_MEMORY = 0x58 >> 2;
export const W_MEMORY_AVAILABLE = 0x60 >> 2;
export const W_MEMORY_HOST_RESIDENT = 0x68 >> 2;
export const W_DISK_READ = 0x70 >> 2;
export const W_DISK_WRITE = 0x78 >> 2;
export const W_NET_RX = 0x80 >> 2;
export const W_NET_TX = 0x88 >> 2;
export const W_UPPER_USED = 0x90 >> 2;
export const W_UPPER_FREE = 0x98 >> 2;
export const W_UPPER_HOST_ALLOCATED = 0xa0 >> 2;
/** Byte offsets of the name length (u16) and the name bytes. */
export const B_NAME_LEN = 0xa8;
export const B_NAME = 0xb0;

export const SLOT_FREE = 0;
export const SLOT_RESERVED = 1;
export const SLOT_ACTIVE = 2;
export const SLOT_STALE = 3;

export const FLAG_CPU = 1;
export const FLAG_MEMORY = 2;
export const FLAG_MEMORY_AVAILABLE = 4;
export const FLAG_MEMORY_HOST_RESIDENT = 8;
export const FLAG_UPPER_USED = 16;
export const FLAG_UPPER_FREE = 32;
export const FLAG_UPPER_HOST_ALLOCATED = 64;
/**
 * sandmeter extensions: layout v3 has no presence bit for disk and network,
 * so we mark them *unknown* instead. Writers that never set these bits (the
 * Rust sampler) keep their counters reported; Rust readers ignore them.
 */
export const FLAG_DISK_UNKNOWN = 0x80;
export const FLAG_NET_UNKNOWN = 0x100;

export const TWO_32 = 4294967296;
