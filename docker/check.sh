#!/usr/bin/env bash
# The container check: builds the gateway image from a clean clone of HEAD with docker/Dockerfile,
# runs docker/compose.yaml (two gateway nodes, Redis with AOF, two Dovecots) under podman, and checks
# that both nodes become healthy, publish the same JWKS, and that a route change on node A is seen by
# node B. Then it brings everything down. One line per step; exit 1 on the first failed step.
#
#   docker/check.sh            # run the check (base images are kept for the next run)
#   docker/check.sh --clean    # also remove the cached base images at the end
#   docker/check.sh --base-only   # only make the Debian base image (CHECK_BASE_IMAGE, default continuity-base:test)
#
# Needs: apt-get install -y podman podman-compose runc debootstrap openssl curl python3, and the .NET SDK
# (the one that builds this repository). No image registry is needed: the Debian base is made with
# debootstrap from the host's apt mirror, the .NET runtime/SDK images from the host's .NET install
# (SDK_IMAGE/RUNTIME_IMAGE build arguments replace the official mcr.microsoft.com images).
# Containers run with runc (crun fails on hybrid cgroups) and rlimits no higher than the host's.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
clean_bases=0 base_only=0
case "${1:-}" in
  --clean) clean_bases=1 ;;
  --base-only) base_only=1 ;;
  "") ;;
  *) echo "usage: docker/check.sh [--clean | --base-only]" >&2; exit 2 ;;
esac

base_image="${CHECK_BASE_IMAGE:-continuity-base:test}"   # debootstrap bookworm minbase
redis_image=continuity-redis:test        # stand-in for redis:7-bookworm
dovecot_image=continuity-dovecot:test
gateway_image=continuity:check
project="continuity-check-$$"
work="$(mktemp -d /tmp/continuity-check.XXXXXX)"
compose_started=0

check_start=$(date +%s.%N)
step_start=0
begin() { step_name="$1"; step_start=$(date +%s.%N); }
ok() { printf 'ok   %s (%ss)%s\n' "$step_name" "$(elapsed)" "${1:+ — $1}"; }
fail() {
  printf 'FAIL %s (%ss): %s\n' "$step_name" "$(elapsed)" "$1"
  [[ -n "${2:-}" && -f "$2" ]] && tail -n "${3:-25}" "$2" | sed 's/^/     | /'
  exit 1
}
elapsed() { printf '%.1f' "$(echo "$(date +%s.%N) - $step_start" | bc)"; }

compose() { (cd "$work/src/docker" && podman-compose -p "$project" -f compose.yaml "$@"); }

cleanup() {
  local rc=$?
  if ((compose_started)); then
    begin "compose down and clean up"
    if compose down -v >"$work/down.log" 2>&1; then
      # podman-compose 1.0.3 leaves the project's volumes and network behind: remove them by label.
      podman volume ls -q --filter "label=io.podman.compose.project=$project" | xargs -r podman volume rm -f >>"$work/down.log" 2>&1
      podman network ls -q --filter "label=io.podman.compose.project=$project" | xargs -r podman network rm -f >>"$work/down.log" 2>&1
      left="$(podman ps -aq --filter "label=io.podman.compose.project=$project" | wc -l)"
      podman rmi -f "$gateway_image" >>"$work/down.log" 2>&1
      ((clean_bases)) && podman rmi -f "$dovecot_image" "$redis_image" "$runtime_image" "$base_image" >>"$work/down.log" 2>&1
      if [[ "$left" == 0 ]]; then ok "no container left"; else printf 'FAIL %s: %s container(s) left\n' "$step_name" "$left"; rc=1; fi
    else
      printf 'FAIL %s\n' "$step_name"; tail -n 20 "$work/down.log" | sed 's/^/     | /'; rc=1
    fi
  fi
  rm -rf "$work"
  ((rc == 0 && !base_only)) && printf 'ok   container check passed in %.0fs\n' "$(echo "$(date +%s.%N) - $check_start" | bc)"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# --- preflight -------------------------------------------------------------------------------------
begin "tools present"
for tool in podman podman-compose runc debootstrap openssl curl python3 bc git dotnet; do
  command -v "$tool" >/dev/null || fail "$tool is missing: apt-get install -y podman podman-compose runc debootstrap openssl curl python3 bc git (and the .NET SDK for dotnet)"
done
dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
runtime_version="$(ls "$dotnet_root/shared/Microsoft.AspNetCore.App" | sort -V | tail -1)"
[[ -n "$runtime_version" ]] || fail "no ASP.NET Core runtime under $dotnet_root/shared"
runtime_image="continuity-aspnet:$runtime_version-test"
nuget_packages="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
mkdir -p "$nuget_packages"
# Containers: runc, rlimits within the host's; every podman and podman-compose call below reads this file.
cat >"$work/containers.conf" <<'EOF'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=1000:1000"]

[engine]
runtime = "runc"
EOF
export CONTAINERS_CONF="$work/containers.conf"
ok "podman $(podman version --format '{{.Client.Version}}'), runc, .NET $runtime_version"

# --- images ----------------------------------------------------------------------------------------
begin "build base image"
if podman image exists "$base_image"; then
  ok "cached $base_image"
else
  # The Debian mirror apt already uses on this machine (deb822 'URIs:' or one-line 'deb' form).
  mirror="$(grep -h -E '^(URIs:|deb )' /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null \
    | grep -v -- '-security' | grep -o -E 'https?://[^ ]*debian[^ ]*' | head -1)"
  mirror="${mirror:-http://deb.debian.org/debian}"
  debootstrap --variant=minbase bookworm "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 || fail "debootstrap from $mirror" "$work/debootstrap.log"
  tar -C "$work/rootfs" -c . | podman import - "$base_image" >"$work/import.log" 2>&1 || fail "podman import" "$work/import.log"
  rm -rf "$work/rootfs"
  ok "debootstrap bookworm minbase from $mirror"
fi
((base_only)) && exit 0

begin "build runtime image"
if podman image exists "$runtime_image"; then
  ok "cached $runtime_image"
else
  # What mcr.microsoft.com/dotnet/aspnet:10.0 provides: the shared runtimes in /usr/share/dotnet, user 'app' (1654).
  cat >"$work/runtime.Dockerfile" <<EOF
FROM $base_image
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates libicu72 libssl3 tzdata \\
 && rm -rf /var/lib/apt/lists/* \\
 && mkdir -p /usr/share/dotnet/shared \\
 && cp -a /host-dotnet/dotnet /host-dotnet/host /host-dotnet/LICENSE.txt /usr/share/dotnet/ \\
 && cp -a /host-dotnet/shared/Microsoft.NETCore.App /host-dotnet/shared/Microsoft.AspNetCore.App /usr/share/dotnet/shared/ \\
 && ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet \\
 && groupadd --system --gid 1654 app && useradd --no-log-init --system --uid 1654 --gid app --create-home app
ENV APP_UID=1654 ASPNETCORE_HTTP_PORTS=8080 DOTNET_RUNNING_IN_CONTAINER=true
EOF
  podman build --format docker -v "$dotnet_root:/host-dotnet:ro" -f "$work/runtime.Dockerfile" -t "$runtime_image" "$work" \
    >"$work/runtime.log" 2>&1 || fail "runtime image" "$work/runtime.log"
  ok "$runtime_image: Debian base + the host's .NET $runtime_version runtimes"
fi

begin "build redis and dovecot images"
printf 'FROM %s\nRUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends redis-server && rm -rf /var/lib/apt/lists/* && mkdir -p /data\nWORKDIR /data\n' \
  "$base_image" >"$work/redis.Dockerfile"
podman build --format docker -f "$work/redis.Dockerfile" -t "$redis_image" "$work" >"$work/redis.log" 2>&1 || fail "redis image" "$work/redis.log"
podman build --format docker --build-arg "BASE_IMAGE=$base_image" -f "$here/dovecot.Dockerfile" -t "$dovecot_image" "$here" \
  >"$work/dovecot.log" 2>&1 || fail "docker/dovecot.Dockerfile" "$work/dovecot.log"
ok "$redis_image, $dovecot_image"

begin "build gateway image"
# From a clean clone of HEAD: what is not committed is not in the image.
git clone -q --no-hardlinks "$repo" "$work/src" >"$work/clone.log" 2>&1 || fail "git clone" "$work/clone.log"
# The build stage runs on the runtime image with the host's SDK mounted (it stands in for dotnet/sdk:10.0)
# and the host's NuGet cache (packages already there are not downloaded again) and trust store (the
# NuGet feed may be reached through a proxy whose CA only the host trusts).
podman build --format docker -f docker/Dockerfile \
  --build-arg "SDK_IMAGE=$runtime_image" --build-arg "RUNTIME_IMAGE=$runtime_image" \
  -v "$dotnet_root:/usr/share/dotnet:ro" -v "$nuget_packages:/root/.nuget/packages" -v /etc/ssl/certs:/etc/ssl/certs:ro \
  -t "$gateway_image" "$work/src" >"$work/gateway.log" 2>&1 || fail "docker/Dockerfile" "$work/gateway.log" 40
size="$(podman image inspect "$gateway_image" --format '{{.Size}}' | awk '{printf "%.0f MB", $1/1e6}')"
app_size="$(podman run --rm --entrypoint du "$gateway_image" -sm /app 2>/dev/null | cut -f1)"
user="$(podman image inspect "$gateway_image" --format '{{.Config.User}}')"
health="$(podman image inspect "$gateway_image" --format '{{json .Config.Healthcheck.Test}}')"
[[ "$user" == app ]] || fail "the image runs as '$user', not the non-root 'app'"
[[ "$health" == *'"health"'* ]] || fail "no HEALTHCHECK through 'continuity health' in the image ($health)"
ok "$gateway_image $size, /app ${app_size} MB, user $user"

# --- compose ---------------------------------------------------------------------------------------
begin "compose up"
keys="$work/keys"
mkdir -p "$keys"
for k in signing encryption; do
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$keys/$k.pem" 2>/dev/null || fail "openssl genpkey"
done
chmod 755 "$keys"; chmod 644 "$keys"/*.pem   # throw-away keys; the container's user 'app' reads them
port_a="$(free_port)"; port_b="$(free_port)"; smtp_a="$(free_port)"
export GATEWAY_IMAGE="$gateway_image" REDIS_IMAGE="$redis_image" DOVECOT_IMAGE="$dovecot_image" \
  SDK_IMAGE="$runtime_image" RUNTIME_IMAGE="$runtime_image" DEBIAN_IMAGE="$base_image" CONTINUITY_KEYS="$keys" \
  GATEWAY_A_PORT="$port_a" GATEWAY_B_PORT="$port_b" GATEWAY_A_SMTP_PORT="$smtp_a"
compose_started=1
compose up -d >"$work/up.log" 2>&1 || fail "podman-compose up" "$work/up.log"
running="$(podman ps -q --filter "label=io.podman.compose.project=$project" | wc -l)"
[[ "$running" == 5 ]] || fail "$running of 5 containers running" "$work/up.log"
ok "5 containers; node A 127.0.0.1:$port_a, node B 127.0.0.1:$port_b"

begin "all healthy"
# podman runs healthchecks from systemd timers, which this machine may not have: run each container's
# own healthcheck (the image's or compose's 'test') until it passes.
containers="$(podman ps --format '{{.Names}}' --filter "label=io.podman.compose.project=$project" | sort)"
deadline=$(( $(date +%s) + ${CHECK_HEALTH_TIMEOUT:-180} ))
pending="$containers"
while [[ -n "$pending" ]]; do
  still=""
  for c in $pending; do
    podman healthcheck run "$c" >/dev/null 2>&1 || still+="$c "
  done
  pending="${still% }"
  [[ -z "$pending" ]] && break
  if (( $(date +%s) > deadline )); then
    for c in $pending; do podman logs --tail 15 "$c" >"$work/$c.log" 2>&1; echo "     $c:"; sed 's/^/     | /' "$work/$c.log"; done
    fail "not healthy: $pending"
  fi
  sleep 2
done
ok "$(echo "$containers" | sed "s/^${project}_//; s/_1\$//" | paste -sd, -)"

begin "same JWKS on both nodes"
# As a browser behind the TLS front end would ask: for the tenant's login host (the issuer is https://login.demo.test/).
login=(-H 'Host: login.demo.test')
discovery="$(curl -sf -m 10 "${login[@]}" "http://127.0.0.1:$port_a/.well-known/openid-configuration")" || fail "GET /.well-known/openid-configuration on node A"
jwks_path="$(python3 -c 'import json,sys,urllib.parse; print(urllib.parse.urlparse(json.load(sys.stdin)["jwks_uri"]).path)' <<<"$discovery")" \
  || fail "no jwks_uri in the discovery document: $discovery"
ja="$(curl -sf -m 10 "${login[@]}" "http://127.0.0.1:$port_a$jwks_path")" || fail "GET $jwks_path on node A"
jb="$(curl -sf -m 10 "${login[@]}" "http://127.0.0.1:$port_b$jwks_path")" || fail "GET $jwks_path on node B"
kids() { python3 -c 'import json,sys; print(",".join(sorted(k["kid"] for k in json.load(sys.stdin)["keys"])))'; }
ka="$(kids <<<"$ja")" || fail "node A's JWKS is not JSON with keys: $ja"
kb="$(kids <<<"$jb")" || fail "node B's JWKS is not JSON with keys: $jb"
[[ -n "$ka" && "$ka" == "$kb" && "$ja" == "$jb" ]] || fail "node A publishes [$ka], node B [$kb]"
ok "$jwks_path: kid $ka"

begin "route change on A seen on B"
api() { curl -s -m 10 -w '\n%{http_code}' -H "Authorization: Bearer $1" -H 'Content-Type: application/json' "${@:2}"; }
reason="container check $project"
out="$(api demo-ops-key -X POST "http://127.0.0.1:$port_a/admin/api/tenants/demo/routes" \
  -d "{\"user\":\"alice@demo.test\",\"to\":\"sovereign\",\"reason\":\"$reason\"}")"
code="${out##*$'\n'}"; body="${out%$'\n'*}"
how="applied on A"
if [[ "$code" == 202 ]]; then
  how="pending on A, approved on B by a second operator"
  # The two-person rule: a second operator approves (on node B, so the approval travels too).
  id="$(python3 -c 'import json,sys; print(json.load(sys.stdin)["request"]["id"])' <<<"$body")" || fail "202 without a request id: $body"
  out="$(api demo-second-admin-key -X POST "http://127.0.0.1:$port_b/admin/api/approvals/$id/approve" -d '{}')"
  code="${out##*$'\n'}"; body="${out%$'\n'*}"
fi
[[ "$code" == 200 ]] || fail "route change answered $code: $body"
deadline=$(( $(date +%s) + 10 ))
until api demo-viewer-key "http://127.0.0.1:$port_b/admin/api/tenants/demo/routes" \
    | python3 -c 'import json,sys; t=sys.stdin.read().rsplit("\n",1)[0]; sys.exit(0 if json.loads(t)["users"].get("alice@demo.test") == "sovereign" else 1)' 2>/dev/null; do
  (( $(date +%s) > deadline )) && fail "node B does not show alice@demo.test → sovereign after 10 s"
  sleep 0.5
done
ok "alice@demo.test → sovereign ($how), seen on B"

begin "redis keeps an AOF"
aof="$(podman exec "${project}_redis_1" redis-cli config get appendonly | tail -1)"
[[ "$aof" == yes ]] || fail "appendonly is '$aof'"
files="$(podman exec "${project}_redis_1" sh -c 'ls /data/appendonlydir 2>/dev/null || ls /data/*.aof' | paste -sd' ' -)"
[[ -n "$files" ]] || fail "no AOF file under /data"
ok "$files"
