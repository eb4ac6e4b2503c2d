#!/usr/bin/env bash
# Mailbox sync: our MailboxSynchronizer vs mbsync (isync), both copying the same primary Dovecot mailbox to their own
# fresh Dovecot in the same run — a full sync of 10 000 messages of ~10 KB in one folder, then an incremental run
# after 100 new messages (see MailboxSyncBenchmark.cs for what is measured and how).
#
#   sudo tests/Continuity.Benchmarks/sync-vs-mbsync.sh [--messages N] [--size BYTES] [--incremental N]
#   (100 000 messages: --messages 100000; also reports our peak working set and mbsync's max RSS via /usr/bin/time -v)
#
# Installs what is missing: isync (mbsync), dovecot-imapd / dovecot-lmtpd (the three test Dovecots run as root on
# 127.0.0.1 with private base_dirs, as the tests start them) and redis-server (our checkpoints). Needs root: Dovecot's
# master runs as root and the mail belongs to uid 65534. Everything it starts lives under /tmp and is removed at the end.
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
[[ $(id -u) -eq 0 ]] || { echo "run as root: the test Dovecots need it" >&2; exit 1; }

missing=()
command -v mbsync >/dev/null || missing+=(isync)
[[ -x /usr/sbin/dovecot ]] || missing+=(dovecot-core)
[[ -x /usr/lib/dovecot/imap ]] || missing+=(dovecot-imapd)
[[ -x /usr/lib/dovecot/lmtp ]] || missing+=(dovecot-lmtpd)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v redis-cli >/dev/null || missing+=(redis-tools)
[[ -x /usr/bin/time ]] || missing+=(time)
if ((${#missing[@]})); then
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi

echo "# $(mbsync --version), $(dovecot --version | cut -d' ' -f1) (dovecot), $(redis-server --version | cut -d' ' -f3)" >&2
dotnet run -c Release --project "$repo/tests/Continuity.Benchmarks" -- sync "$@"
