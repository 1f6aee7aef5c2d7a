// N-API surface: flat functions over an opaque handle (the mapping's
// ArrayBuffer). Argument shapes are validated by the TypeScript layer; here we
// only refuse what would be unsafe, and turn every Status into an Error with
// a stable `code`.
#include <napi.h>

#include <sys/mman.h>

#include <cerrno>
#include <mutex>
#include <unordered_map>

#include "pid_watch.h"
#include "protocol.h"
#include "source_hash.h"

namespace sandmeter {
namespace {

//------------------------------------------------------------------------------
// Mapping lifetime
//------------------------------------------------------------------------------

// A mapping is unmapped exactly once, by the ArrayBuffer's finalizer. close()
// only swaps the shared pages for private zero pages at the same address:
// the shm object is let go at once, any typed array still held reads zeros
// instead of faulting, and no ArrayBuffer is ever detached (detaching one
// invalidates a V8 protector and slows every typed-array access in the
// process).
struct Mapping {
  Region region;
  bool closed = false;
};
std::mutex g_mappings_mu;
std::unordered_map<void*, Mapping*> g_mappings;

void FinalizeMapping(Napi::Env, void*, Mapping* m) {
  {
    std::lock_guard<std::mutex> lock(g_mappings_mu);
    g_mappings.erase(m->region.base);
  }
  UnmapRegion(&m->region);
  delete m;
}

Napi::ArrayBuffer WrapRegion(Napi::Env env, const Region& region) {
  auto* m = new Mapping{region, false};
  {
    std::lock_guard<std::mutex> lock(g_mappings_mu);
    g_mappings[region.base] = m;
  }
  return Napi::ArrayBuffer::New(env, region.base, region.len, FinalizeMapping, m);
}

const char* CodeName(Code c) {
  switch (c) {
    case Code::kOk: return "OK";
    case Code::kRegistryFull: return "SANDMETER_REGISTRY_FULL";
    case Code::kGenerationMismatch: return "SANDMETER_GENERATION_MISMATCH";
    case Code::kNotFound: return "SANDMETER_NOT_FOUND";
    case Code::kLayoutMismatch: return "SANDMETER_LAYOUT_MISMATCH";
    case Code::kInvalidArgument: return "SANDMETER_INVALID_ARGUMENT";
    case Code::kWriterBusy: return "SANDMETER_WRITER_BUSY";
    case Code::kPermissionDenied: return "SANDMETER_PERMISSION_DENIED";
    case Code::kSlotState: return "SANDMETER_SLOT_STATE";
    case Code::kAlreadyExists: return "SANDMETER_ALREADY_EXISTS";
    case Code::kSystem: return "SANDMETER_SYSTEM";
  }
  return "SANDMETER_SYSTEM";
}

Napi::Value Throw(Napi::Env env, const Status& s) {
  Napi::Error e = Napi::Error::New(env, s.message);
  e.Set("code", Napi::String::New(env, CodeName(s.code)));
  if (!s.field.empty()) e.Set("field", Napi::String::New(env, s.field));
  if (s.code == Code::kGenerationMismatch || s.code == Code::kLayoutMismatch ||
      s.code == Code::kSlotState) {
    e.Set("expected", Napi::BigInt::New(env, s.expected));
    e.Set("actual", Napi::BigInt::New(env, s.actual));
  }
  if (s.sys_errno != 0) e.Set("errno", Napi::Number::New(env, s.sys_errno));
  e.ThrowAsJavaScriptException();
  return env.Undefined();
}

Napi::Value ThrowInvalid(Napi::Env env, const char* field, const std::string& why) {
  Status s;
  s.code = Code::kInvalidArgument;
  s.field = field;
  s.message = why;
  return Throw(env, s);
}

bool GetRegion(const Napi::CallbackInfo& info, Region* out) {
  if (info.Length() < 1 || !info[0].IsArrayBuffer()) {
    ThrowInvalid(info.Env(), "registry", "expected the registry mapping");
    return false;
  }
  Napi::ArrayBuffer ab = info[0].As<Napi::ArrayBuffer>();
  out->base = static_cast<uint8_t*>(ab.Data());
  out->len = ab.ByteLength();
  bool closed = false;
  {
    std::lock_guard<std::mutex> lock(g_mappings_mu);
    auto it = g_mappings.find(out->base);
    closed = it == g_mappings.end() || it->second->closed;
  }
  if (out->base == nullptr || out->len < kHeaderLen || closed) {
    Status s;
    s.code = Code::kSlotState;
    s.message = "the registry mapping is closed";
    s.field = "registry";
    Throw(info.Env(), s);
    return false;
  }
  return true;
}

// u64 from a JS number (a non-negative integer up to 2^53) or a BigInt.
bool GetU64(Napi::Env env, Napi::Value v, const char* field, uint64_t* out) {
  if (v.IsBigInt()) {
    bool lossless = false;
    *out = v.As<Napi::BigInt>().Uint64Value(&lossless);
    if (!lossless) {
      ThrowInvalid(env, field, std::string(field) + " must fit in an unsigned 64-bit integer");
      return false;
    }
    return true;
  }
  if (v.IsNumber()) {
    double d = v.As<Napi::Number>().DoubleValue();
    if (d >= 0 && d <= 9007199254740991.0 && d == static_cast<double>(static_cast<uint64_t>(d))) {
      *out = static_cast<uint64_t>(d);
      return true;
    }
  }
  ThrowInvalid(env, field, std::string(field) + " must be a non-negative safe integer or a bigint");
  return false;
}

uint32_t U32(const Napi::CallbackInfo& info, size_t i) {
  return info[i].As<Napi::Number>().Uint32Value();
}
int32_t I32(const Napi::CallbackInfo& info, size_t i) {
  return info[i].As<Napi::Number>().Int32Value();
}

//------------------------------------------------------------------------------
// Functions
//------------------------------------------------------------------------------

Napi::Value OpenOrCreate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string name = info[0].As<Napi::String>().Utf8Value();
  Region region;
  bool created = false;
  Status s = OpenOrCreateRegion(name, U32(info, 1), &region, &created);
  if (!s.ok()) return Throw(env, s);
  Napi::Object out = Napi::Object::New(env);
  out.Set("buffer", WrapRegion(env, region));
  out.Set("created", Napi::Boolean::New(env, created));
  return out;
}

Napi::Value Create(const Napi::CallbackInfo& info) {
  Region region;
  Status s = CreateRegion(info[0].As<Napi::String>().Utf8Value(), U32(info, 1), &region);
  if (!s.ok()) return Throw(info.Env(), s);
  return WrapRegion(info.Env(), region);
}

Napi::Value Open(const Napi::CallbackInfo& info) {
  Region region;
  Status s = OpenRegion(info[0].As<Napi::String>().Utf8Value(), U32(info, 1), &region);
  if (!s.ok()) return Throw(info.Env(), s);
  return WrapRegion(info.Env(), region);
}

Napi::Value Unlink(const Napi::CallbackInfo& info) {
  Status s = UnlinkRegion(info[0].As<Napi::String>().Utf8Value());
  if (!s.ok()) return Throw(info.Env(), s);
  return info.Env().Undefined();
}

Napi::Value Close(const Napi::CallbackInfo& info) {
  if (!info[0].IsArrayBuffer()) return info.Env().Undefined();
  void* data = info[0].As<Napi::ArrayBuffer>().Data();
  std::lock_guard<std::mutex> lock(g_mappings_mu);
  auto it = g_mappings.find(data);
  if (it == g_mappings.end() || it->second->closed) return info.Env().Undefined();
  Mapping* m = it->second;
  void* anon = mmap(m->region.base, m->region.len, PROT_READ | PROT_WRITE,
                    MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (anon == MAP_FAILED) {
    Status s;
    s.code = Code::kSystem;
    s.sys_errno = errno;
    s.message = "could not release the registry mapping";
    return Throw(info.Env(), s);
  }
  m->closed = true;
  return info.Env().Undefined();
}

Napi::Value ReserveFn(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Region r;
  if (!GetRegion(info, &r)) return env.Undefined();
  if (!info[2].IsTypedArray()) return ThrowInvalid(env, "name", "name must be UTF-8 bytes");
  Napi::Uint8Array name = info[2].As<Napi::Uint8Array>();
  uint64_t limit = 0;
  if (!GetU64(env, info[3], "memoryLimitBytes", &limit)) return env.Undefined();
  uint32_t slot = 0;
  uint64_t gen = 0;
  Status s = Reserve(r, I32(info, 1), name.Data(), name.ByteLength(), limit, &slot, &gen);
  if (!s.ok()) return Throw(env, s);
  Napi::Array out = Napi::Array::New(env, 2);
  out.Set(0u, Napi::Number::New(env, slot));
  out.Set(1u, Napi::Number::New(env, static_cast<double>(gen)));
  return out;
}

uint64_t Gen(const Napi::CallbackInfo& info, size_t i) {
  return static_cast<uint64_t>(info[i].As<Napi::Number>().DoubleValue());
}

Napi::Value ActivateFn(const Napi::CallbackInfo& info) {
  Region r;
  if (!GetRegion(info, &r)) return info.Env().Undefined();
  Status s = Activate(r, U32(info, 1), Gen(info, 2), I32(info, 3), I32(info, 4),
                      static_cast<int64_t>(info[5].As<Napi::Number>().DoubleValue()));
  if (!s.ok()) return Throw(info.Env(), s);
  return info.Env().Undefined();
}

// values: [sampledAtMs, flags, cpuPercent, vcpuTimeNs, memoryBytes,
// memoryAvailableBytes, memoryHostResidentBytes, diskReadBytes,
// diskWriteBytes, netRxBytes, netTxBytes, upperUsedBytes, upperFreeBytes,
// upperHostAllocatedBytes]
Napi::Value WriteSampleFn(const Napi::CallbackInfo& info) {
  Region r;
  if (!GetRegion(info, &r)) return info.Env().Undefined();
  if (!info[3].IsTypedArray()) return ThrowInvalid(info.Env(), "sample", "expected a Float64Array");
  Napi::Float64Array v = info[3].As<Napi::Float64Array>();
  if (v.ElementLength() < 14) return ThrowInvalid(info.Env(), "sample", "expected 14 values");
  SampleFields f;
  f.sampled_at_unix_ms = static_cast<int64_t>(v[0]);
  f.flags = static_cast<uint32_t>(v[1]);
  f.cpu_percent = static_cast<float>(v[2]);
  f.vcpu_time_ns = static_cast<uint64_t>(v[3]);
  f.memory_bytes = static_cast<uint64_t>(v[4]);
  f.memory_available_bytes = static_cast<uint64_t>(v[5]);
  f.memory_host_resident_bytes = static_cast<uint64_t>(v[6]);
  f.disk_read_bytes = static_cast<uint64_t>(v[7]);
  f.disk_write_bytes = static_cast<uint64_t>(v[8]);
  f.net_rx_bytes = static_cast<uint64_t>(v[9]);
  f.net_tx_bytes = static_cast<uint64_t>(v[10]);
  f.upper_used_bytes = static_cast<uint64_t>(v[11]);
  f.upper_free_bytes = static_cast<uint64_t>(v[12]);
  f.upper_host_allocated_bytes = static_cast<uint64_t>(v[13]);
  Status s = WriteSample(r, U32(info, 1), Gen(info, 2), f);
  if (!s.ok()) return Throw(info.Env(), s);
  return info.Env().Undefined();
}

Napi::Value ReleaseFn(const Napi::CallbackInfo& info) {
  Region r;
  if (!GetRegion(info, &r)) return info.Env().Undefined();
  SlotState to = U32(info, 3) == kFree ? kFree : kStale;
  uint64_t next = 0;
  Status s = Release(r, U32(info, 1), Gen(info, 2), to, /*force=*/false, &next);
  if (!s.ok()) return Throw(info.Env(), s);
  return Napi::Number::New(info.Env(), static_cast<double>(next));
}

Napi::Value ReleaseReservedFn(const Napi::CallbackInfo& info) {
  Region r;
  if (!GetRegion(info, &r)) return info.Env().Undefined();
  Status s = ReleaseReserved(r, U32(info, 1), Gen(info, 2));
  if (!s.ok()) return Throw(info.Env(), s);
  return info.Env().Undefined();
}

Napi::Value DemoteFn(const Napi::CallbackInfo& info) {
  Region r;
  if (!GetRegion(info, &r)) return info.Env().Undefined();
  return Napi::Boolean::New(info.Env(), DemoteIfOwnerDead(r, U32(info, 1), Gen(info, 2)));
}

// The C++ reader, for cross-checking the TypeScript hot path: exact values
// as BigInt, or null when the slot is not readable.
Napi::Value ReadSlotFn(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Region r;
  if (!GetRegion(info, &r)) return env.Undefined();
  SlotRead s;
  if (!ReadSlot(r, U32(info, 1), info[2].ToBoolean().Value(), &s)) return env.Null();
  Napi::Object o = Napi::Object::New(env);
  auto big = [&](const char* k, uint64_t v) { o.Set(k, Napi::BigInt::New(env, v)); };
  auto num = [&](const char* k, double v) { o.Set(k, Napi::Number::New(env, v)); };
  num("state", s.state);
  big("generation", s.generation);
  num("sandboxId", s.sandbox_id);
  num("runId", s.run_id);
  num("pid", s.pid);
  o.Set("startedAtMs", Napi::BigInt::New(env, s.started_at_unix_ms));
  o.Set("sampledAtMs", Napi::BigInt::New(env, s.sample.sampled_at_unix_ms));
  num("flags", s.sample.flags);
  num("cpuPercent", s.sample.cpu_percent);
  big("memoryLimitBytes", s.memory_limit_bytes);
  big("vcpuTimeNs", s.sample.vcpu_time_ns);
  big("memoryBytes", s.sample.memory_bytes);
  big("memoryAvailableBytes", s.sample.memory_available_bytes);
  big("memoryHostResidentBytes", s.sample.memory_host_resident_bytes);
  big("diskReadBytes", s.sample.disk_read_bytes);
  big("diskWriteBytes", s.sample.disk_write_bytes);
  big("netRxBytes", s.sample.net_rx_bytes);
  big("netTxBytes", s.sample.net_tx_bytes);
  big("upperUsedBytes", s.sample.upper_used_bytes);
  big("upperFreeBytes", s.sample.upper_free_bytes);
  big("upperHostAllocatedBytes", s.sample.upper_host_allocated_bytes);
  o.Set("name", Napi::Buffer<uint8_t>::Copy(env, s.name, s.name_len));
  return o;
}

Napi::Value PidAliveFn(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), PidAlive(I32(info, 0)));
}

// One call for a batch: kill(pid, 0) of pids[i] into alive[i] (1 or 0). The
// fallback of readers without pidfds, so one system call per pid.
Napi::Value PidsAliveFn(const Napi::CallbackInfo& info) {
  Napi::Int32Array pids = info[0].As<Napi::Int32Array>();
  Napi::Uint8Array alive = info[1].As<Napi::Uint8Array>();
  const size_t n = std::min(pids.ElementLength(), alive.ElementLength());
  for (size_t i = 0; i < n; ++i) alive[i] = PidExists(pids[i]) ? 1 : 0;
  return info.Env().Undefined();
}

//------------------------------------------------------------------------------
// Pid watch (exit notification through pidfds)
//------------------------------------------------------------------------------

PidWatch* GetWatch(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsExternal()) {
    ThrowInvalid(info.Env(), "watch", "expected a pid watch handle");
    return nullptr;
  }
  return info[0].As<Napi::External<PidWatch>>().Data();
}

Napi::Value PidWatchOpen(const Napi::CallbackInfo& info) {
  auto* w = new PidWatch();
  if (!w->ok()) {
    delete w;
    return info.Env().Null();
  }
  return Napi::External<PidWatch>::New(info.Env(), w, [](Napi::Env, PidWatch* p) { delete p; });
}

Napi::Value PidWatchAdd(const Napi::CallbackInfo& info) {
  PidWatch* w = GetWatch(info);
  if (w == nullptr) return info.Env().Undefined();
  return Napi::Number::New(info.Env(), w->Watch(I32(info, 1)));
}

// Fills `out` with pids that exited; returns how many (at most out.length;
// the rest stay queued for the next call).
Napi::Value PidWatchTake(const Napi::CallbackInfo& info) {
  PidWatch* w = GetWatch(info);
  if (w == nullptr) return info.Env().Undefined();
  Napi::Int32Array out = info[1].As<Napi::Int32Array>();
  static thread_local std::vector<int32_t> pending;
  w->TakeExited(&pending);
  size_t n = std::min(pending.size(), out.ElementLength());
  for (size_t i = 0; i < n; ++i) out[i] = pending[i];
  pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(n));
  return Napi::Number::New(info.Env(), static_cast<double>(n));
}

Napi::Value PidWatchRetain(const Napi::CallbackInfo& info) {
  PidWatch* w = GetWatch(info);
  if (w == nullptr) return info.Env().Undefined();
  Napi::Int32Array keep = info[1].As<Napi::Int32Array>();
  w->Retain(keep.Data(), keep.ElementLength());
  return Napi::Number::New(info.Env(), static_cast<double>(w->size()));
}

Napi::Value PidWatchClose(const Napi::CallbackInfo& info) {
  PidWatch* w = GetWatch(info);
  if (w != nullptr) w->Close();
  return info.Env().Undefined();
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("pidWatchOpen", Napi::Function::New(env, PidWatchOpen));
  exports.Set("pidWatchAdd", Napi::Function::New(env, PidWatchAdd));
  exports.Set("pidWatchTake", Napi::Function::New(env, PidWatchTake));
  exports.Set("pidWatchRetain", Napi::Function::New(env, PidWatchRetain));
  exports.Set("pidWatchClose", Napi::Function::New(env, PidWatchClose));
  exports.Set("openOrCreate", Napi::Function::New(env, OpenOrCreate));
  exports.Set("create", Napi::Function::New(env, Create));
  exports.Set("open", Napi::Function::New(env, Open));
  exports.Set("unlink", Napi::Function::New(env, Unlink));
  exports.Set("close", Napi::Function::New(env, Close));
  exports.Set("reserve", Napi::Function::New(env, ReserveFn));
  exports.Set("activate", Napi::Function::New(env, ActivateFn));
  exports.Set("writeSample", Napi::Function::New(env, WriteSampleFn));
  exports.Set("release", Napi::Function::New(env, ReleaseFn));
  exports.Set("releaseReserved", Napi::Function::New(env, ReleaseReservedFn));
  exports.Set("demoteIfOwnerDead", Napi::Function::New(env, DemoteFn));
  exports.Set("readSlot", Napi::Function::New(env, ReadSlotFn));
  exports.Set("pidAlive", Napi::Function::New(env, PidAliveFn));
  exports.Set("pidsAlive", Napi::Function::New(env, PidsAliveFn));
  exports.Set("sourceHash", Napi::String::New(env, SANDMETER_SOURCE_HASH));
  return exports;
}

}  // namespace
}  // namespace sandmeter

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) {
  return sandmeter::Init(env, exports);
}

NODE_API_MODULE(sandmeter_registry, InitModule)
