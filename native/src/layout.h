// Registry layout v3: the byte-exact mirror of ../../../shared/docs/registry-abi.md.
// Every offset is asserted at compile time; a change of one offset breaks
// every reader on the host, Rust and TypeScript alike.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sandmeter {

//------------------------------------------------------------------------------
// Constants
//------------------------------------------------------------------------------

constexpr uint64_t kMagic = 0x313054454d42534dULL;  // "MSBMET01" little-endian
constexpr uint32_t kVersion = 3;
constexpr uint32_t kHeaderLen = 256;
constexpr uint32_t kSlotLen = 512;
constexpr uint32_t kMaxCapacity = 1u << 20;
constexpr uint32_t kMaxNameLen = 128;

enum HeaderState : uint32_t { kHeaderUninit = 0, kHeaderInitializing = 1, kHeaderReady = 2 };
enum SlotState : uint32_t { kFree = 0, kReserved = 1, kActive = 2, kStale = 3 };

enum SampleFlag : uint32_t {
  kFlagCpu = 1,
  kFlagMemory = 2,
  kFlagMemoryAvailable = 4,
  kFlagMemoryHostResident = 8,
  kFlagUpperUsed = 16,
  kFlagUpperFree = 32,
  kFlagUpperHostAllocated = 64,
};

//------------------------------------------------------------------------------
// Types
//------------------------------------------------------------------------------

// Fields marked atomic in the ABI are only ever touched through __atomic
// builtins on these plain members, so the struct stays trivially laid out.
struct Header {
  uint64_t magic;
  uint32_t version;
  uint32_t header_len;
  uint32_t slot_len;
  uint32_t capacity;
  uint32_t state;
  uint32_t pad0;
  int64_t created_at_unix_ms;
  uint64_t global_generation;
  uint8_t reserved[208];
};

struct Slot {
  uint32_t state;
  uint32_t pad0;
  uint64_t generation;
  uint64_t seq;
  int32_t sandbox_id;
  int32_t run_id;
  int32_t pid;
  uint32_t pad1;
  int64_t started_at_unix_ms;
  int64_t sampled_at_unix_ms;
  uint32_t sample_flags;
  uint32_t pad2;
  uint64_t memory_limit_bytes;
  uint64_t vcpu_time_ns;
  uint32_t cpu_percent;  // IEEE-754 f32 bits
  uint32_t pad3;
  uint64_t memory_bytes;
  uint64_t memory_available_bytes;
  uint64_t memory_host_resident_bytes;
  uint64_t disk_read_bytes;
  uint64_t disk_write_bytes;
  uint64_t net_rx_bytes;
  uint64_t net_tx_bytes;
  uint64_t upper_used_bytes;
  uint64_t upper_free_bytes;
  uint64_t upper_host_allocated_bytes;
  uint16_t name_len;
  uint8_t pad4[6];
  uint8_t name[128];
  uint8_t tail[208];
};

//------------------------------------------------------------------------------
// Compile-time layout checks
//------------------------------------------------------------------------------

static_assert(sizeof(Header) == 256, "header is 256 bytes");
static_assert(offsetof(Header, magic) == 0x00);
static_assert(offsetof(Header, version) == 0x08);
static_assert(offsetof(Header, header_len) == 0x0c);
static_assert(offsetof(Header, slot_len) == 0x10);
static_assert(offsetof(Header, capacity) == 0x14);
static_assert(offsetof(Header, state) == 0x18);
static_assert(offsetof(Header, created_at_unix_ms) == 0x20);
static_assert(offsetof(Header, global_generation) == 0x28);
static_assert(offsetof(Header, reserved) == 0x30);

static_assert(sizeof(Slot) == 512, "slot is 512 bytes");
static_assert(offsetof(Slot, state) == 0x00);
static_assert(offsetof(Slot, generation) == 0x08);
static_assert(offsetof(Slot, seq) == 0x10);
static_assert(offsetof(Slot, sandbox_id) == 0x18);
static_assert(offsetof(Slot, run_id) == 0x1c);
static_assert(offsetof(Slot, pid) == 0x20);
static_assert(offsetof(Slot, started_at_unix_ms) == 0x28);
static_assert(offsetof(Slot, sampled_at_unix_ms) == 0x30);
static_assert(offsetof(Slot, sample_flags) == 0x38);
static_assert(offsetof(Slot, memory_limit_bytes) == 0x40);
static_assert(offsetof(Slot, vcpu_time_ns) == 0x48);
static_assert(offsetof(Slot, cpu_percent) == 0x50);
static_assert(offsetof(Slot, memory_bytes) == 0x58);
static_assert(offsetof(Slot, memory_available_bytes) == 0x60);
static_assert(offsetof(Slot, memory_host_resident_bytes) == 0x68);
static_assert(offsetof(Slot, disk_read_bytes) == 0x70);
static_assert(offsetof(Slot, disk_write_bytes) == 0x78);
static_assert(offsetof(Slot, net_rx_bytes) == 0x80);
static_assert(offsetof(Slot, net_tx_bytes) == 0x88);
static_assert(offsetof(Slot, upper_used_bytes) == 0x90);
static_assert(offsetof(Slot, upper_free_bytes) == 0x98);
static_assert(offsetof(Slot, upper_host_allocated_bytes) == 0xa0);
static_assert(offsetof(Slot, name_len) == 0xa8);
static_assert(offsetof(Slot, name) == 0xb0);
static_assert(offsetof(Slot, tail) == 0x130);

// The JS hot path reads 64-bit fields as two 32-bit words and the seqlock
// counter by its low word; both rely on little-endian storage.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "layout v3 is little-endian");

}  // namespace sandmeter
