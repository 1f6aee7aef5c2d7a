#!/usr/bin/env bash
# Installs the system tools the test suite uses for real (not mocks):
# the Prometheus server, from Debian's packages. Without root or apt the
# tests that need it skip with a message that says so.
set -u
if command -v prometheus >/dev/null 2>&1; then
  echo "test tools: prometheus $(prometheus --version 2>&1 | head -1 | awk '{print $3}') present"
  exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "test tools: prometheus missing and cannot be installed here (needs root and apt-get); its test will skip"
  exit 0
fi
echo "test tools: installing prometheus from Debian's packages..."
export DEBIAN_FRONTEND=noninteractive
if (apt-get update -qq && apt-get install -y -qq --no-install-recommends prometheus) >/tmp/sandmeter-apt.log 2>&1; then
  echo "test tools: prometheus installed"
else
  echo "test tools: apt-get could not install prometheus (see /tmp/sandmeter-apt.log); its test will skip"
fi
# The Debian package may start a system service; our tests run their own.
(command -v service >/dev/null 2>&1 && service prometheus stop) >/dev/null 2>&1 || true
pkill -x prometheus >/dev/null 2>&1 || true
exit 0
