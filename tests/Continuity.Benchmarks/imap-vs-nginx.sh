#!/usr/bin/env bash
# IMAP session set-up and NOOP round trip: direct to Dovecot, through nginx's mail proxy, and through the gateway's
# IMAP proxy, in one run against one Dovecot (see ImapSessionBenchmark.cs for what is measured).
#
#   sudo tests/Continuity.Benchmarks/imap-vs-nginx.sh [--sessions N] [--noops N]
#
# Installs what is missing (nginx with its mail module, Dovecot's IMAP server, redis-server). Nothing of the
# system's own instances is configured or started: the benchmark starts a private Dovecot (its own base_dir and
# ports), a private nginx (its own prefix and config, `daemon off`, a child process) and a private redis-server, all
# on 127.0.0.1 and free ports, and stops them at the end. The gateway runs as its own process (the real executable), a
# second one with DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 for one NOOP figure, and ImapSessionRelay.c (compiled
# here with cc) shows what the extra hop through user space alone costs. Needs root: Dovecot's master runs as root and drops to uid 65534 for the
# mail. Takes about 2 minutes on two quiet cores (the gateway's logins after the first hit its verified-password
# cache; the 20 cold first logins run the 600 000-iteration KDF).
#
# CONTINUITY_BENCH_PROJECT points at another project that compiles ImapSession*.cs (default: tests/Continuity.Benchmarks).
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
[[ $(id -u) -eq 0 ]] || { echo "run as root: Dovecot's master needs it" >&2; exit 1; }

missing=()
[[ -x /usr/sbin/nginx ]] || missing+=(nginx)
[[ -f /usr/lib/nginx/modules/ngx_mail_module.so ]] || missing+=(libnginx-mod-mail)
[[ -x /usr/lib/dovecot/imap ]] || missing+=(dovecot-imapd)
[[ -x /usr/lib/dovecot/lmtp ]] || missing+=(dovecot-lmtpd) # the Dovecot harness also listens for LMTP
command -v redis-server >/dev/null || missing+=(redis-server)
command -v cc >/dev/null || missing+=(gcc)
if ((${#missing[@]})); then
  # On a machine with a running init, Debian also starts the system's nginx and dovecot services: the benchmark
  # neither needs nor touches them (it listens on free ports of its own).
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
fi

relay_dir="$(mktemp -d)"
trap 'rm -rf "$relay_dir"' EXIT
cc -O2 -pthread -o "$relay_dir/relay" "$repo/tests/Continuity.Benchmarks/ImapSessionRelay.c"

project="${CONTINUITY_BENCH_PROJECT:-$repo/tests/Continuity.Benchmarks}"
dotnet run -c Release --project "$project" -- imap --relay "$relay_dir/relay" "$@"
