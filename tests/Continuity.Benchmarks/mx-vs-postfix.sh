#!/usr/bin/env bash
# MX throughput: the gateway's MX vs a local Postfix, both queueing 10 KB messages durably, driven by
# Postfix's smtp-source in the same run (see MxThroughputBenchmark.cs for what is measured).
#
#   sudo tests/Continuity.Benchmarks/mx-vs-postfix.sh [--messages N] [--sessions S] [--rounds R]
#
# Installs the Debian package postfix if smtp-source is missing (no configuration of the system's instance:
# main_mailer_type "No configuration"). Then runs a private Postfix instance: its own config_directory and
# queue_directory under a temporary directory on the same file system as the gateway's spool, smtpd on
# 127.0.0.1 and a free port, mydestination = demo.test with defer_transports = local, so each accepted
# message is fsync'd into the queue by cleanup before smtpd's 250 and then stays in the deferred queue.
# The instance is stopped and its directory removed on exit. Needs root (Postfix's master runs as root).
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
[[ $(id -u) -eq 0 ]] || { echo "run as root: Postfix's master needs it" >&2; exit 1; }

if ! command -v smtp-source >/dev/null && [[ ! -x /usr/sbin/smtp-source ]]; then
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postfix
fi
PATH="/usr/sbin:$PATH"

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

work="$(mktemp -d /var/tmp/mx-vs-postfix.XXXXXX)"
conf="$work/etc"
queue="$work/queue"
port="$(free_port)"
mkdir -p "$conf" "$queue" "$work/data"
chmod 755 "$work"

cat >"$conf/main.cf" <<CONF
compatibility_level = 3.6
myhostname = postfix.bench.test
mydomain = bench.test
myorigin = \$myhostname
queue_directory = $queue
data_directory = $work/data
inet_interfaces = loopback-only
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
mydestination = demo.test
local_recipient_maps =
alias_maps =
alias_database =
# Accepted mail stays in the queue: the local transport is deferred, nothing is delivered.
defer_transports = local
relayhost = [127.0.0.1]:9
smtpd_banner = \$myhostname ESMTP
maillog_file = $work/postfix.log
message_size_limit = 10240000
CONF

# The Debian master.cf without chroot (a private queue directory has no chroot jail), smtpd on our port only.
awk -v port="$port" '
  /^#/ || /^$/ { next }
  $1 == "smtp" && $2 == "inet" { print "127.0.0.1:" port " inet n - n - - smtpd"; next }
  /^[a-z]/ && NF >= 8 && $5 == "y" { $5 = "n" }
  { print }
' /usr/share/postfix/master.cf.dist >"$conf/master.cf"

cleanup() {
  postfix -c "$conf" stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

postfix -c "$conf" set-permissions >/dev/null 2>&1 || true
postfix -c "$conf" check
postfix -c "$conf" start
for _ in $(seq 1 200); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.05
done

echo "# postfix: config $conf, queue $queue, smtpd 127.0.0.1:$port" >&2
dotnet run -c Release --project "$repo/tests/Continuity.Benchmarks" -- mx \
  --postfix "127.0.0.1:$port" --postfix-queue "$queue" "$@"
