#include "pid_watch.h"

#include <cerrno>
#include <unordered_set>

#include <poll.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace sandmeter {

PidWatch::PidWatch() { epfd_ = epoll_create1(EPOLL_CLOEXEC); }

PidWatch::~PidWatch() { Close(); }

void PidWatch::Close() {
  for (auto& [pid, fd] : fds_) close(fd);
  fds_.clear();
  if (epfd_ >= 0) close(epfd_);
  epfd_ = -1;
}

PidWatch::Result PidWatch::Watch(int32_t pid) {
  if (pid <= 0) return kDead;
  if (epfd_ < 0) return kUnsupported;
  if (fds_.count(pid) != 0) return kWatched;
#ifdef SYS_pidfd_open
  // pidfd_open sets O_CLOEXEC itself. The fd refers to this very process,
  // so a later reuse of the pid number cannot fool the watch.
  int fd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  if (fd < 0) return errno == ESRCH ? kDead : kUnsupported;
  // Readable once the process has exited (a zombie counts as exited).
  pollfd p{fd, POLLIN, 0};
  if (poll(&p, 1, 0) > 0) {
    close(fd);
    return kDead;
  }
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = static_cast<uint32_t>(pid);
  if (epoll_ctl(epfd_, EPOLL_CTL_ADD, fd, &ev) != 0) {
    close(fd);
    return kUnsupported;
  }
  fds_[pid] = fd;
  return kWatched;
#else
  return kUnsupported;
#endif
}

void PidWatch::Forget(int32_t pid) {
  auto it = fds_.find(pid);
  if (it == fds_.end()) return;
  epoll_ctl(epfd_, EPOLL_CTL_DEL, it->second, nullptr);
  close(it->second);
  fds_.erase(it);
}

void PidWatch::TakeExited(std::vector<int32_t>* out) {
  if (epfd_ < 0 || fds_.empty()) return;
  epoll_event events[64];
  for (;;) {
    int n = epoll_wait(epfd_, events, 64, 0);
    if (n <= 0) return;
    for (int i = 0; i < n; ++i) {
      int32_t pid = static_cast<int32_t>(events[i].data.u64);
      out->push_back(pid);
      Forget(pid);
    }
    if (n < 64) return;
  }
}

void PidWatch::Retain(const int32_t* keep, size_t n) {
  std::unordered_set<int32_t> live(keep, keep + n);
  std::vector<int32_t> drop;
  for (auto& [pid, fd] : fds_) {
    if (live.count(pid) == 0) drop.push_back(pid);
  }
  for (int32_t pid : drop) Forget(pid);
}

}  // namespace sandmeter
