#include "protocol.h"

#include <cerrno>
#include <cstring>
#include <ctime>

#include <fcntl.h>
#include <poll.h>
#include <sys/syscall.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sandmeter {

//------------------------------------------------------------------------------
// Atomics and small helpers
//------------------------------------------------------------------------------

namespace {

template <typename T>
T LoadAcquire(const T* p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }
template <typename T>
T LoadRelaxed(const T* p) { return __atomic_load_n(p, __ATOMIC_RELAXED); }
template <typename T>
void StoreRelease(T* p, T v) { __atomic_store_n(p, v, __ATOMIC_RELEASE); }
template <typename T>
void StoreRelaxed(T* p, T v) { __atomic_store_n(p, v, __ATOMIC_RELAXED); }
template <typename T>
bool Cas(T* p, T expected, T desired) {
  return __atomic_compare_exchange_n(p, &expected, desired, false, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE);
}

int64_t NowUnixMs() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

int64_t MonotonicNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

void SleepUs(long us) {
  timespec ts{0, us * 1000};
  nanosleep(&ts, nullptr);
}

Status Err(Code code, std::string message) {
  Status s;
  s.code = code;
  s.message = std::move(message);
  return s;
}

Status SysErr(const char* what, const std::string& name, int err) {
  Status s;
  s.sys_errno = err;
  s.message = std::string(what) + " " + name + ": " + strerror(err);
  if (err == ENOENT) {
    s.code = Code::kNotFound;
  } else if (err == EACCES || err == EPERM) {
    s.code = Code::kPermissionDenied;
  } else if (err == EEXIST) {
    s.code = Code::kAlreadyExists;
  } else {
    s.code = Code::kSystem;
  }
  return s;
}

Status LayoutErr(const char* field, uint64_t found, uint64_t expected, const std::string& why) {
  Status s = Err(Code::kLayoutMismatch, why);
  s.field = field;
  s.actual = found;
  s.expected = expected;
  return s;
}

Status GenErr(uint64_t expected, uint64_t actual) {
  Status s = Err(Code::kGenerationMismatch, "slot generation changed: the slot was released or reused");
  s.expected = expected;
  s.actual = actual;
  return s;
}

size_t RegionSize(uint32_t capacity) {
  return static_cast<size_t>(kHeaderLen) + static_cast<size_t>(capacity) * kSlotLen;
}

// Seqlock entry. A writer that finds seq odd waits for the other writer;
// the budget is bounded so a writer that died inside never hangs us.
bool SeqBegin(Slot* s, int64_t budget_ns) {
  const int64_t deadline = MonotonicNs() + budget_ns;
  for (uint32_t spins = 0;; ++spins) {
    uint64_t seq = LoadAcquire(&s->seq);
    if ((seq & 1) == 0 && Cas(&s->seq, seq, seq + 1)) return true;
    if (spins > 64) {
      if (MonotonicNs() > deadline) return false;
      sched_yield();
    }
  }
}

void SeqEnd(Slot* s) { __atomic_fetch_add(&s->seq, 1, __ATOMIC_RELEASE); }

uint64_t MintGeneration(const Region& r) {
  return __atomic_fetch_add(&r.header()->global_generation, 1, __ATOMIC_ACQ_REL) + 1;
}

constexpr int64_t kWriterBudgetNs = 100 * 1000 * 1000;  // 100 ms, as in the ABI

Status CheckSlot(const Region& r, uint32_t slot) {
  if (slot >= r.capacity()) {
    Status s = Err(Code::kInvalidArgument, "slot index " + std::to_string(slot) +
                                               " is out of range (capacity " +
                                               std::to_string(r.capacity()) + ")");
    s.field = "slot";
    return s;
  }
  return Status{};
}

void ZeroSampleFields(Slot* s) {
  StoreRelaxed(&s->sampled_at_unix_ms, int64_t{0});
  StoreRelaxed(&s->sample_flags, 0u);
  StoreRelaxed(&s->vcpu_time_ns, uint64_t{0});
  StoreRelaxed(&s->cpu_percent, 0u);
  uint64_t* fields[] = {&s->memory_bytes, &s->memory_available_bytes,
                        &s->memory_host_resident_bytes, &s->disk_read_bytes,
                        &s->disk_write_bytes, &s->net_rx_bytes, &s->net_tx_bytes,
                        &s->upper_used_bytes, &s->upper_free_bytes,
                        &s->upper_host_allocated_bytes};
  for (uint64_t* f : fields) StoreRelaxed(f, uint64_t{0});
}

}  // namespace

uint32_t Region::capacity() const {
  if (len < kHeaderLen) return 0;
  const uint64_t fits = (len - kHeaderLen) / kSlotLen;
  const uint32_t claimed = header()->capacity;
  return fits < claimed ? static_cast<uint32_t>(fits) : claimed;
}

//------------------------------------------------------------------------------
// Shared-memory object lifetime
//------------------------------------------------------------------------------

Status ValidateShmName(const std::string& name) {
  Status bad = Err(Code::kInvalidArgument, "");
  bad.field = "name";
  if (name.size() < 2 || name[0] != '/') {
    bad.message = "shm name must start with '/' and have at least one more character";
  } else if (name.size() > 255) {
    bad.message = "shm name is longer than 255 bytes";
  } else if (name.find('/', 1) != std::string::npos) {
    bad.message = "shm name may contain '/' only as its first character";
  } else if (name.find('\0') != std::string::npos) {
    bad.message = "shm name contains a NUL byte";
  } else {
    return Status{};
  }
  return bad;
}

static Status CheckCapacity(uint32_t capacity) {
  if (capacity < 1 || capacity > kMaxCapacity) {
    Status s = Err(Code::kInvalidArgument, "capacity must be 1 .. 1048576, got " +
                                               std::to_string(capacity));
    s.field = "capacity";
    return s;
  }
  return Status{};
}

Status CreateRegion(const std::string& name, uint32_t capacity, Region* out) {
  if (Status s = ValidateShmName(name); !s.ok()) return s;
  if (Status s = CheckCapacity(capacity); !s.ok()) return s;
  int fd = shm_open(name.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600);
  if (fd < 0) return SysErr("shm_open", name, errno);
  // The umask can only remove bits; set 0600 explicitly so the object is
  // private to the owner whatever the caller's umask.
  const size_t size = RegionSize(capacity);
  if (fchmod(fd, 0600) != 0 || ftruncate(fd, static_cast<off_t>(size)) != 0) {
    int err = errno;
    close(fd);
    shm_unlink(name.c_str());
    return SysErr("ftruncate", name, err);
  }
  void* base = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  int err = errno;
  close(fd);
  if (base == MAP_FAILED) {
    shm_unlink(name.c_str());
    return SysErr("mmap", name, err);
  }
  Header* h = static_cast<Header*>(base);
  StoreRelaxed(&h->state, static_cast<uint32_t>(kHeaderInitializing));
  h->magic = kMagic;
  h->version = kVersion;
  h->header_len = kHeaderLen;
  h->slot_len = kSlotLen;
  h->capacity = capacity;
  h->created_at_unix_ms = NowUnixMs();
  StoreRelaxed(&h->global_generation, uint64_t{0});
  // Release: a reader that sees "ready" sees every header field above.
  StoreRelease(&h->state, static_cast<uint32_t>(kHeaderReady));
  out->base = static_cast<uint8_t*>(base);
  out->len = size;
  return Status{};
}

Status OpenRegion(const std::string& name, uint32_t expected_capacity, Region* out) {
  if (Status s = ValidateShmName(name); !s.ok()) return s;
  int fd = shm_open(name.c_str(), O_RDWR, 0);
  if (fd < 0) return SysErr("shm_open", name, errno);
  // One budget for both waits below (object size, then header state).
  const int64_t deadline = MonotonicNs() + 5LL * 1000 * 1000 * 1000;
  struct stat st;
  for (;;) {
    if (fstat(fd, &st) != 0) {
      int err = errno;
      close(fd);
      return SysErr("fstat", name, err);
    }
    // Size 0: a creator won O_EXCL and has not run ftruncate yet (it sets
    // the full size at once). Wait for it, bounded, as for the header state.
    if (st.st_size != 0 || MonotonicNs() > deadline) break;
    SleepUs(1000);
  }
  if (static_cast<uint64_t>(st.st_size) < kHeaderLen) {
    close(fd);
    return LayoutErr("size", static_cast<uint64_t>(st.st_size), kHeaderLen,
                     "shm object " + name + " is smaller than the 256-byte header: not a registry");
  }
  void* hdr_map = mmap(nullptr, kHeaderLen, PROT_READ, MAP_SHARED, fd, 0);
  if (hdr_map == MAP_FAILED) {
    int err = errno;
    close(fd);
    return SysErr("mmap", name, err);
  }
  const Header* h = static_cast<const Header*>(hdr_map);
  Status verdict;
  // Wait (bounded) for a creator that is still writing the header. Only an
  // object that so far looks like ours is waited for: foreign bytes fail fast.
  for (;;) {
    uint32_t state = LoadAcquire(&h->state);
    uint64_t magic = LoadRelaxed(&h->magic);
    // Magic first: for foreign bytes the state word is noise, and the
    // useful verdict is "not a registry".
    if (magic != 0 && magic != kMagic) break;  // reported as a magic mismatch below
    if (state == kHeaderReady) break;
    if (state > kHeaderReady) {
      verdict = LayoutErr("state", state, kHeaderReady, "header state is not a registry state");
      break;
    }
    if (MonotonicNs() > deadline) {
      verdict = LayoutErr("state", state, kHeaderReady,
                          "registry header never became ready (creator died mid-create?)");
      break;
    }
    SleepUs(1000);
  }
  uint32_t capacity = 0;
  if (verdict.ok()) {
    capacity = h->capacity;
    if (h->magic != kMagic) {
      verdict = LayoutErr("magic", h->magic, kMagic, "wrong magic: not a sandmeter/microsandbox registry");
    } else if (h->version != kVersion) {
      verdict = LayoutErr("version", h->version, kVersion, "unsupported layout version");
    } else if (h->header_len != kHeaderLen) {
      verdict = LayoutErr("header_len", h->header_len, kHeaderLen, "unexpected header length");
    } else if (h->slot_len != kSlotLen) {
      verdict = LayoutErr("slot_len", h->slot_len, kSlotLen, "unexpected slot length");
    } else if (capacity < 1 || capacity > kMaxCapacity) {
      verdict = LayoutErr("capacity", capacity, 0, "capacity in header is out of range");
    } else if (expected_capacity != 0 && capacity != expected_capacity) {
      verdict = LayoutErr("capacity", capacity, expected_capacity,
                          "registry exists with a different capacity");
    } else if (static_cast<uint64_t>(st.st_size) < RegionSize(capacity)) {
      verdict = LayoutErr("size", static_cast<uint64_t>(st.st_size), RegionSize(capacity),
                          "shm object is shorter than its capacity requires");
    }
  }
  munmap(hdr_map, kHeaderLen);
  if (!verdict.ok()) {
    close(fd);
    verdict.message = name + ": " + verdict.message;
    return verdict;
  }
  const size_t size = RegionSize(capacity);
  void* base = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  int err = errno;
  close(fd);
  if (base == MAP_FAILED) return SysErr("mmap", name, err);
  out->base = static_cast<uint8_t*>(base);
  out->len = size;
  return Status{};
}

Status OpenOrCreateRegion(const std::string& name, uint32_t capacity, Region* out, bool* created) {
  if (Status s = CheckCapacity(capacity); !s.ok()) return s;
  // Two processes racing: the loser of O_EXCL opens instead. The object can
  // vanish between the two calls (unlinked), hence a bounded retry.
  Status last;
  for (int attempt = 0; attempt < 8; ++attempt) {
    last = CreateRegion(name, capacity, out);
    if (last.ok()) {
      *created = true;
      return last;
    }
    if (last.code != Code::kAlreadyExists) return last;
    last = OpenRegion(name, capacity, out);
    if (last.ok()) {
      *created = false;
      return last;
    }
    if (last.code != Code::kNotFound) return last;
  }
  return last;
}

Status UnlinkRegion(const std::string& name) {
  if (Status s = ValidateShmName(name); !s.ok()) return s;
  if (shm_unlink(name.c_str()) != 0) return SysErr("shm_unlink", name, errno);
  return Status{};
}

void UnmapRegion(Region* region) {
  if (region->base != nullptr) munmap(region->base, region->len);
  region->base = nullptr;
  region->len = 0;
}

//------------------------------------------------------------------------------
// Slot protocol
//------------------------------------------------------------------------------

bool PidExists(int32_t pid) {
  return pid > 0 && (kill(pid, 0) == 0 || errno != ESRCH);
}

bool PidAlive(int32_t pid) {
  if (pid <= 0) return false;
  // EPERM: the process exists but belongs to someone else.
  if (kill(pid, 0) != 0 && errno == ESRCH) return false;
#ifdef SYS_pidfd_open
  // kill() also succeeds for a zombie (exited, not yet reaped). A pidfd is
  // readable exactly when the process has exited. Without pidfds we keep
  // kill()'s answer.
  int fd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  if (fd < 0) return errno != ESRCH;
  pollfd p{fd, POLLIN, 0};
  int ready = poll(&p, 1, 0);
  close(fd);
  return ready <= 0;
#else
  return true;
#endif
}

static Status Claim(const Region& r, uint32_t i, int32_t sandbox_id, const uint8_t* name,
                    size_t name_len, uint64_t memory_limit, uint64_t* generation_out) {
  Slot* s = r.slot(i);
  const uint64_t gen = MintGeneration(r);
  // We own the slot (state reserved); a stale writer can only be passing
  // through the seqlock on its way to a generation mismatch, so a seq that
  // stays odd past the budget belongs to a dead writer and is forced even.
  if (!SeqBegin(s, kWriterBudgetNs)) {
    uint64_t seq = LoadAcquire(&s->seq);
    StoreRelease(&s->seq, (seq | 1) + 1);
    SeqBegin(s, kWriterBudgetNs);
  }
  ZeroSampleFields(s);
  StoreRelaxed(&s->sandbox_id, sandbox_id);
  StoreRelaxed(&s->run_id, 0);
  StoreRelaxed(&s->pid, 0);
  StoreRelaxed(&s->started_at_unix_ms, int64_t{0});
  StoreRelaxed(&s->memory_limit_bytes, memory_limit);
  StoreRelaxed(&s->name_len, static_cast<uint16_t>(name_len));
  for (size_t b = 0; b < kMaxNameLen; ++b) {
    StoreRelaxed(&s->name[b], b < name_len ? name[b] : uint8_t{0});
  }
  SeqEnd(s);
  // Published last: until now the old generation still guards the slot.
  StoreRelease(&s->generation, gen);
  *generation_out = gen;
  return Status{};
}

Status Reserve(const Region& r, int32_t sandbox_id, const uint8_t* name, size_t name_len,
               uint64_t memory_limit, uint32_t* slot_out, uint64_t* generation_out) {
  if (name_len > kMaxNameLen) {
    Status s = Err(Code::kInvalidArgument, "name is longer than 128 bytes");
    s.field = "name";
    return s;
  }
  const uint32_t cap = r.capacity();
  // Pass 1: never-used or freed slots. Pass 2: also stale ones (oldest data
  // is sacrificed only when nothing is free).
  for (int pass = 0; pass < 2; ++pass) {
    for (uint32_t i = 0; i < cap; ++i) {
      Slot* s = r.slot(i);
      uint32_t st = LoadAcquire(&s->state);
      bool candidate = st == kFree || (pass == 1 && st == kStale);
      if (candidate && Cas(&s->state, st, static_cast<uint32_t>(kReserved))) {
        *slot_out = i;
        return Claim(r, i, sandbox_id, name, name_len, memory_limit, generation_out);
      }
    }
  }
  // Pass 3: active slots whose owner died without releasing.
  for (uint32_t i = 0; i < cap; ++i) {
    Slot* s = r.slot(i);
    if (LoadAcquire(&s->state) != kActive) continue;
    uint64_t gen = LoadAcquire(&s->generation);
    if (!DemoteIfOwnerDead(r, i, gen)) continue;
    if (Cas(&s->state, static_cast<uint32_t>(kStale), static_cast<uint32_t>(kReserved))) {
      *slot_out = i;
      return Claim(r, i, sandbox_id, name, name_len, memory_limit, generation_out);
    }
  }
  return Err(Code::kRegistryFull, "every slot of the registry (capacity " + std::to_string(cap) +
                                      ") is in use by a live owner");
}

Status Activate(const Region& r, uint32_t slot, uint64_t generation, int32_t run_id, int32_t pid,
                int64_t started_at_unix_ms) {
  if (Status st = CheckSlot(r, slot); !st.ok()) return st;
  Slot* s = r.slot(slot);
  uint64_t cur = LoadAcquire(&s->generation);
  if (cur != generation) return GenErr(generation, cur);
  if (!SeqBegin(s, kWriterBudgetNs)) return Err(Code::kWriterBusy, "slot seqlock stayed held");
  cur = LoadAcquire(&s->generation);
  if (cur != generation) {
    SeqEnd(s);
    return GenErr(generation, cur);
  }
  uint32_t state = LoadAcquire(&s->state);
  if (state != kReserved) {
    SeqEnd(s);
    Status e = Err(Code::kSlotState, "slot is not reserved (state " + std::to_string(state) + ")");
    e.actual = state;
    e.expected = kReserved;
    return e;
  }
  StoreRelaxed(&s->run_id, run_id);
  StoreRelaxed(&s->pid, pid);
  StoreRelaxed(&s->started_at_unix_ms, started_at_unix_ms);
  SeqEnd(s);
  if (!Cas(&s->state, static_cast<uint32_t>(kReserved), static_cast<uint32_t>(kActive))) {
    cur = LoadAcquire(&s->generation);
    return GenErr(generation, cur);
  }
  return Status{};
}

Status WriteSample(const Region& r, uint32_t slot, uint64_t generation, const SampleFields& f) {
  if (Status st = CheckSlot(r, slot); !st.ok()) return st;
  Slot* s = r.slot(slot);
  uint64_t cur = LoadAcquire(&s->generation);
  if (cur != generation) return GenErr(generation, cur);
  if (!SeqBegin(s, kWriterBudgetNs)) return Err(Code::kWriterBusy, "slot seqlock stayed held");
  cur = LoadAcquire(&s->generation);
  if (cur != generation) {
    SeqEnd(s);
    return GenErr(generation, cur);
  }
  uint32_t cpu_bits;
  std::memcpy(&cpu_bits, &f.cpu_percent, sizeof cpu_bits);
  StoreRelaxed(&s->sampled_at_unix_ms, f.sampled_at_unix_ms);
  StoreRelaxed(&s->sample_flags, f.flags);
  StoreRelaxed(&s->vcpu_time_ns, f.vcpu_time_ns);
  StoreRelaxed(&s->cpu_percent, cpu_bits);
  StoreRelaxed(&s->memory_bytes, f.memory_bytes);
  StoreRelaxed(&s->memory_available_bytes, f.memory_available_bytes);
  StoreRelaxed(&s->memory_host_resident_bytes, f.memory_host_resident_bytes);
  StoreRelaxed(&s->disk_read_bytes, f.disk_read_bytes);
  StoreRelaxed(&s->disk_write_bytes, f.disk_write_bytes);
  StoreRelaxed(&s->net_rx_bytes, f.net_rx_bytes);
  StoreRelaxed(&s->net_tx_bytes, f.net_tx_bytes);
  StoreRelaxed(&s->upper_used_bytes, f.upper_used_bytes);
  StoreRelaxed(&s->upper_free_bytes, f.upper_free_bytes);
  StoreRelaxed(&s->upper_host_allocated_bytes, f.upper_host_allocated_bytes);
  SeqEnd(s);
  return Status{};
}

Status Release(const Region& r, uint32_t slot, uint64_t generation, SlotState to, bool force,
               uint64_t* new_generation) {
  if (Status st = CheckSlot(r, slot); !st.ok()) return st;
  Slot* s = r.slot(slot);
  uint64_t cur = LoadAcquire(&s->generation);
  if (cur != generation) return GenErr(generation, cur);
  uint32_t state = LoadAcquire(&s->state);
  if (state != kActive && state != kStale) {
    Status e = Err(Code::kSlotState, "slot is not active or stale (state " + std::to_string(state) +
                                         "); a reservation is released with releaseReserved");
    e.actual = state;
    e.expected = kActive;
    return e;
  }
  // A new generation first: from here on every write by the old owner fails.
  const uint64_t next = MintGeneration(r);
  if (!Cas(&s->generation, generation, next)) {
    cur = LoadAcquire(&s->generation);
    return GenErr(generation, cur);
  }
  const int64_t deadline = MonotonicNs() + kWriterBudgetNs;
  for (;;) {
    uint64_t seq = LoadAcquire(&s->seq);
    if ((seq & 1) == 0) break;
    if (MonotonicNs() > deadline) {
      if (!force) {
        return Err(Code::kWriterBusy,
                   "a writer stayed inside the slot seqlock for 100 ms; the slot keeps its state "
                   "and a new generation, so the writer can no longer publish");
      }
      // Dead-owner reclaim: the writer died mid-write; close its section.
      Cas(&s->seq, seq, seq + 1);
      break;
    }
    SleepUs(50);
  }
  StoreRelease(&s->state, static_cast<uint32_t>(to));
  if (new_generation != nullptr) *new_generation = next;
  return Status{};
}

Status ReleaseReserved(const Region& r, uint32_t slot, uint64_t generation) {
  if (Status st = CheckSlot(r, slot); !st.ok()) return st;
  Slot* s = r.slot(slot);
  uint64_t cur = LoadAcquire(&s->generation);
  if (cur != generation) return GenErr(generation, cur);
  if (!Cas(&s->state, static_cast<uint32_t>(kReserved), static_cast<uint32_t>(kFree))) {
    uint32_t state = LoadAcquire(&s->state);
    Status e = Err(Code::kSlotState, "slot is not reserved (state " + std::to_string(state) + ")");
    e.actual = state;
    e.expected = kReserved;
    return e;
  }
  StoreRelease(&s->generation, MintGeneration(r));
  return Status{};
}

bool DemoteIfOwnerDead(const Region& r, uint32_t slot, uint64_t generation) {
  if (slot >= r.capacity()) return false;
  Slot* s = r.slot(slot);
  if (LoadAcquire(&s->state) != kActive) return false;
  if (LoadAcquire(&s->generation) != generation) return false;
  if (PidAlive(LoadAcquire(&s->pid))) return false;
  return Release(r, slot, generation, kStale, /*force=*/true, nullptr).ok();
}

bool ReadSlot(const Region& r, uint32_t slot, bool accept_stale, SlotRead* out) {
  if (slot >= r.capacity()) return false;
  const Slot* s = r.slot(slot);
  auto acceptable = [&](uint32_t st) { return st == kActive || (accept_stale && st == kStale); };
  for (int attempt = 0; attempt < 4096; ++attempt) {
    uint32_t state = LoadAcquire(&s->state);
    if (!acceptable(state)) return false;
    uint64_t gen = LoadAcquire(&s->generation);
    uint64_t seq1 = LoadAcquire(&s->seq);
    if (seq1 & 1) {
      if (attempt > 64) sched_yield();
      continue;
    }
    out->state = state;
    out->generation = gen;
    out->sandbox_id = LoadRelaxed(&s->sandbox_id);
    out->run_id = LoadRelaxed(&s->run_id);
    out->pid = LoadRelaxed(&s->pid);
    out->started_at_unix_ms = LoadRelaxed(&s->started_at_unix_ms);
    out->memory_limit_bytes = LoadRelaxed(&s->memory_limit_bytes);
    SampleFields& f = out->sample;
    f.sampled_at_unix_ms = LoadRelaxed(&s->sampled_at_unix_ms);
    f.flags = LoadRelaxed(&s->sample_flags);
    f.vcpu_time_ns = LoadRelaxed(&s->vcpu_time_ns);
    uint32_t cpu_bits = LoadRelaxed(&s->cpu_percent);
    std::memcpy(&f.cpu_percent, &cpu_bits, sizeof cpu_bits);
    f.memory_bytes = LoadRelaxed(&s->memory_bytes);
    f.memory_available_bytes = LoadRelaxed(&s->memory_available_bytes);
    f.memory_host_resident_bytes = LoadRelaxed(&s->memory_host_resident_bytes);
    f.disk_read_bytes = LoadRelaxed(&s->disk_read_bytes);
    f.disk_write_bytes = LoadRelaxed(&s->disk_write_bytes);
    f.net_rx_bytes = LoadRelaxed(&s->net_rx_bytes);
    f.net_tx_bytes = LoadRelaxed(&s->net_tx_bytes);
    f.upper_used_bytes = LoadRelaxed(&s->upper_used_bytes);
    f.upper_free_bytes = LoadRelaxed(&s->upper_free_bytes);
    f.upper_host_allocated_bytes = LoadRelaxed(&s->upper_host_allocated_bytes);
    uint16_t name_len = LoadRelaxed(&s->name_len);
    out->name_len = name_len > kMaxNameLen ? kMaxNameLen : name_len;
    for (size_t b = 0; b < kMaxNameLen; ++b) out->name[b] = LoadRelaxed(&s->name[b]);
    // Order the field loads before the second seq load.
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    uint64_t seq2 = LoadAcquire(&s->seq);
    if (seq2 != seq1) continue;
    if (LoadAcquire(&s->generation) != gen) continue;
    if (!acceptable(LoadAcquire(&s->state))) return false;
    return f.sampled_at_unix_ms != 0;
  }
  return false;
}

}  // namespace sandmeter
