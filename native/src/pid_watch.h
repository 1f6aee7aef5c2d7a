// Exit notification for many pids at once: one pidfd per watched pid in one
// epoll set, so a reader learns of every owner that died since its last read
// with a single epoll_wait, instead of one kill(pid, 0) per slot per read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace sandmeter {

class PidWatch {
 public:
  enum Result { kDead = 0, kWatched = 1, kUnsupported = 2 };

  PidWatch();
  ~PidWatch();
  PidWatch(const PidWatch&) = delete;
  PidWatch& operator=(const PidWatch&) = delete;

  bool ok() const { return epfd_ >= 0; }
  // Starts watching pid (idempotent). kDead when it has already exited;
  // kUnsupported when no pidfd can be had (old kernel, seccomp, fd limit):
  // the caller falls back to kill(pid, 0).
  Result Watch(int32_t pid);
  // Pids that exited since the last call; they are no longer watched.
  void TakeExited(std::vector<int32_t>* out);
  // Stops watching every pid not in `keep` (owners that released their slots).
  void Retain(const int32_t* keep, size_t n);
  size_t size() const { return fds_.size(); }
  void Close();

 private:
  void Forget(int32_t pid);
  int epfd_ = -1;
  std::unordered_map<int32_t, int> fds_;
};

}  // namespace sandmeter
