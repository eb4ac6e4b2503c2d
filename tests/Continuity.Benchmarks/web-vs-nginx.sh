#!/usr/bin/env bash
# HTTP proxying under load: wrk directly to a small static backend (a private nginx serving one 512-byte file),
# through a private nginx reverse proxy (HTTP/1.1 keep-alive upstream, worker_processes = cores), through YARP alone
# (the framework floor: one route, nothing else, its own process with server GC), and through the
# web gateway with a signed-in user's session cookie, in one run (see WebBenchmark.cs for what is measured).
#
#   tests/Continuity.Benchmarks/web-vs-nginx.sh [--threads 2] [--connections 64] [--seconds 15] [--warmup 20] [--bytes 512] [--rounds 3]
#
# Installs what is missing (nginx, wrk, redis-server) with apt-get (as root). Nothing of the system's own nginx is
# configured or started: both nginx instances get their own prefix and config in a temporary directory, listen on
# free ports of 127.0.0.1, run as child processes (`daemon off`) and are stopped at the end. The gateway is the real
# `continuity serve` executable as its own process (its own runtimeconfig: server GC and the runtime settings of
# src/Continuity.Gateway), with a generated configuration; the benchmark process stays idle while wrk runs.
# Each path is warmed up once, then measured in interleaved rounds. Takes about five minutes (six with a trial).
#
# CONTINUITY_BENCH_PROJECT points at another project that compiles Web*.cs (default: tests/Continuity.Benchmarks).
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"

missing=()
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx)
command -v wrk >/dev/null || missing+=(wrk)
command -v redis-server >/dev/null || missing+=(redis-server)
if ((${#missing[@]})); then
  [[ $(id -u) -eq 0 ]] || { echo "missing ${missing[*]}: run as root to install them, or: apt-get install -y ${missing[*]}" >&2; exit 1; }
  # On a machine with a running init, Debian also starts the system's nginx: the benchmark neither needs nor touches it.
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
fi
PATH="/usr/sbin:$PATH"

project="${CONTINUITY_BENCH_PROJECT:-$repo/tests/Continuity.Benchmarks}"
dotnet run -c Release --project "$project" -- web "$@"
