// The registry protocol over a mapped region: no N-API here, so every rule
// of registry-abi.md lives in one place and reads as plain C++.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "layout.h"

namespace sandmeter {

// Stable error codes, mirrored one for one by the TypeScript error classes.
enum class Code {
  kOk = 0,
  kRegistryFull,
  kGenerationMismatch,
  kNotFound,
  kLayoutMismatch,
  kInvalidArgument,
  kWriterBusy,
  kPermissionDenied,
  kSlotState,
  kAlreadyExists,
  kSystem,
};

struct Status {
  Code code = Code::kOk;
  std::string message;
  // Details a caller can act on; which ones are set depends on the code.
  std::string field;        // layout mismatch: the header field; invalid argument: the argument
  uint64_t expected = 0;    // generation mismatch / layout mismatch
  uint64_t actual = 0;      // generation mismatch / layout mismatch
  int sys_errno = 0;
  bool ok() const { return code == Code::kOk; }
};

struct Region {
  uint8_t* base = nullptr;
  size_t len = 0;
  Header* header() const { return reinterpret_cast<Header*>(base); }
  // Slots that physically fit in the mapping, whatever the header claims.
  uint32_t capacity() const;
  Slot* slot(uint32_t i) const {
    return reinterpret_cast<Slot*>(base + kHeaderLen + static_cast<size_t>(i) * kSlotLen);
  }
};

struct SampleFields {
  int64_t sampled_at_unix_ms;
  uint32_t flags;
  float cpu_percent;
  uint64_t vcpu_time_ns, memory_bytes, memory_available_bytes, memory_host_resident_bytes;
  uint64_t disk_read_bytes, disk_write_bytes, net_rx_bytes, net_tx_bytes;
  uint64_t upper_used_bytes, upper_free_bytes, upper_host_allocated_bytes;
};

struct SlotRead {
  uint32_t state;
  uint64_t generation;
  int32_t sandbox_id, run_id, pid;
  int64_t started_at_unix_ms;
  uint64_t memory_limit_bytes;
  SampleFields sample;
  uint16_t name_len;
  uint8_t name[kMaxNameLen];
};

// Shared-memory object lifetime.
Status ValidateShmName(const std::string& name);
Status CreateRegion(const std::string& name, uint32_t capacity, Region* out);
Status OpenRegion(const std::string& name, uint32_t expected_capacity, Region* out);
Status OpenOrCreateRegion(const std::string& name, uint32_t capacity, Region* out, bool* created);
Status UnlinkRegion(const std::string& name);
void UnmapRegion(Region* region);

// Slot protocol.
Status Reserve(const Region& r, int32_t sandbox_id, const uint8_t* name, size_t name_len,
               uint64_t memory_limit, uint32_t* slot_out, uint64_t* generation_out);
Status Activate(const Region& r, uint32_t slot, uint64_t generation, int32_t run_id, int32_t pid,
                int64_t started_at_unix_ms);
Status WriteSample(const Region& r, uint32_t slot, uint64_t generation, const SampleFields& s);
Status Release(const Region& r, uint32_t slot, uint64_t generation, SlotState to, bool force,
               uint64_t* new_generation);
Status ReleaseReserved(const Region& r, uint32_t slot, uint64_t generation);
// Demote an active slot whose owner pid is dead to stale. Returns true when
// this call did the demotion.
bool DemoteIfOwnerDead(const Region& r, uint32_t slot, uint64_t generation);
// One coherent seqlock read. Returns false when the slot is not acceptable
// (wrong state, never sampled) or stayed contended for the whole retry budget.
bool ReadSlot(const Region& r, uint32_t slot, bool accept_stale, SlotRead* out);

// Zombie-aware (a pidfd tells an exited, unreaped owner from a live one).
bool PidAlive(int32_t pid);
// kill(pid, 0) alone: one system call; a zombie counts as alive.
bool PidExists(int32_t pid);

}  // namespace sandmeter
