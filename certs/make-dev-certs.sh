#!/usr/bin/env bash
# Makes a development CA and one server certificate for the demo host names, into certs/dev/.
# Throw-away keys for development and tests only: production certificates come from configuration
# (Continuity:Mail:Tls:CertificatePath / KeyPath, and the identity signing keys), never from git.
#
#   certs/make-dev-certs.sh            # creates what is missing
#   certs/make-dev-certs.sh --force    # makes everything anew
#   OUT=/some/dir certs/make-dev-certs.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${OUT:-$here/dev}"
days_ca=3650
days_leaf=825   # the longest validity Apple and browsers accept for a TLS server certificate
names=(mx.demo.test mail.demo.test login.demo.test localhost)
ips=(127.0.0.1 ::1)

command -v openssl >/dev/null || { echo "openssl is needed: apt-get install -y openssl" >&2; exit 1; }
if [[ "${1:-}" == "--force" ]]; then rm -f "$out"/ca.* "$out"/server.*; fi
mkdir -p "$out"
umask 077

if [[ ! -f "$out/ca.key" || ! -f "$out/ca.crt" ]]; then
  openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 -days "$days_ca" \
    -subj "/O=Continuity development/CN=Continuity development CA" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$out/ca.key" -out "$out/ca.crt" 2>/dev/null
  echo "made $out/ca.crt"
fi

if [[ ! -f "$out/server.key" || ! -f "$out/server.crt" || "$out/ca.crt" -nt "$out/server.crt" ]]; then
  san=""
  for n in "${names[@]}"; do san+="DNS:$n,"; done
  for i in "${ips[@]}"; do san+="IP:$i,"; done
  san="${san%,}"
  ext="$(mktemp)"; trap 'rm -f "$ext" "$out/server.csr"' EXIT
  printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=%s\n' "$san" >"$ext"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 \
    -subj "/O=Continuity development/CN=${names[0]}" -keyout "$out/server.key" -out "$out/server.csr" 2>/dev/null
  openssl x509 -req -in "$out/server.csr" -CA "$out/ca.crt" -CAkey "$out/ca.key" -CAcreateserial \
    -days "$days_leaf" -sha256 -extfile "$ext" -out "$out/server.crt" 2>/dev/null
  cat "$out/server.crt" "$out/ca.crt" >"$out/server-chain.crt"
  # PKCS#12 for programs that want one file (empty password: development only).
  openssl pkcs12 -export -inkey "$out/server.key" -in "$out/server.crt" -certfile "$out/ca.crt" \
    -passout pass: -out "$out/server.pfx" 2>/dev/null
  echo "made $out/server.crt for ${names[*]} ${ips[*]}"
fi

chmod 644 "$out"/*.crt
openssl verify -CAfile "$out/ca.crt" "$out/server.crt" >/dev/null
