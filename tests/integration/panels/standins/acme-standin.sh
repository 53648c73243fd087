#!/bin/bash
# The ACME (RFC 8555) client of the clpctl and HestiaCP STAND-INS — part of neither panel. The real panels order
# from Let's Encrypt (CloudPanel through its own client, Hestia in bash with curl + openssl, as here); the test
# machine cannot reach Let's Encrypt, so the stand-ins order from the test's pebble instead: its directory, the CA
# of its API and the route to it (curl --connect-to, through the test's relay) are in $ACME_CONF, written by the
# test. Without that file an order fails like a panel that cannot reach Let's Encrypt.
# HTTP-01 only: the token file goes into the site's webroot, which the site's real nginx vhost serves.
# Usage (sourced): acme_issue "NAME[ NAME…]" WEBROOT OUTDIR EMAIL → OUTDIR/{key.pem,cert.pem,chain.pem,fullchain.pem};
# on failure returns 1 with the reason in $ACME_ERROR.
ACME_CONF=/etc/paneldeck-standin/acme.conf
ACME_ACCOUNT_KEY=/etc/paneldeck-standin/account.key

acme_b64() { basenc --base64url -w0 | tr -d '='; }

# GET/POST $1 (more curl arguments after it): headers to $ACME_TMP/h, body to $ACME_TMP/b, prints the status.
acme_curl() {
  local url=$1
  shift
  curl -sS --max-time 20 --cacert "$ACME_CA" ${ACME_CONNECT_TO:+--connect-to "$ACME_CONNECT_TO"} \
    -D "$ACME_TMP/h" -o "$ACME_TMP/b" -w '%{http_code}' "$@" "$url"
}
acme_header() { grep -i "^$1:" "$ACME_TMP/h" | tail -n 1 | cut -d ' ' -f 2- | tr -d '\r\n'; }
# The first string value of "$1" in the body (flattened JSON; enough for ACME's answers).
acme_field() { tr -d '\n' <"$ACME_TMP/b" | grep -o "\"$1\": *\"[^\"]*\"" | head -n 1 | sed 's/^.*: *"//; s/"$//'; }
acme_detail() { acme_field detail; }

# A JWS POST to $1 with payload $2 ('' = POST-as-GET), signed RS256 with the account key.
acme_post() {
  local protected h64 p64 sig
  if [ -n "${ACME_KID:-}" ]; then
    protected="{\"alg\":\"RS256\",\"kid\":\"$ACME_KID\",\"nonce\":\"$ACME_NONCE\",\"url\":\"$1\"}"
  else
    protected="{\"alg\":\"RS256\",\"jwk\":$ACME_JWK,\"nonce\":\"$ACME_NONCE\",\"url\":\"$1\"}"
  fi
  h64=$(printf '%s' "$protected" | acme_b64)
  p64=$(printf '%s' "$2" | acme_b64)
  sig=$(printf '%s.%s' "$h64" "$p64" | openssl dgst -sha256 -binary -sign "$ACME_ACCOUNT_KEY" | acme_b64)
  ACME_STATUS=$(acme_curl "$1" -H 'Content-Type: application/jose+json' \
    --data-binary "{\"protected\":\"$h64\",\"payload\":\"$p64\",\"signature\":\"$sig\"}") || ACME_STATUS=000
  ACME_NONCE=$(acme_header replay-nonce)
}

acme_fail() {
  ACME_ERROR=$1
  rm -rf "$ACME_TMP"
  for t in "${ACME_TOKENS[@]}"; do rm -f "$t"; done
  return 1
}

# Polls $1 (POST-as-GET) until its status is $2; fails on "invalid" or after ~20 s.
acme_wait() {
  local i s
  for i in $(seq 1 100); do
    acme_post "$1" ''
    s=$(acme_field status)
    [ "$s" = "$2" ] && return 0
    [ "$s" = invalid ] && return 1
    sleep 0.2
  done
  return 1
}

acme_issue() {
  local names=$1 webroot=$2 out=$3 email=$4 first ids='' san='' n dir mod thumb order finalize authz ch url token cert
  ACME_TOKENS=()
  ACME_KID=''
  ACME_TMP=$(mktemp -d)
  if [ ! -r "$ACME_CONF" ]; then acme_fail 'the ACME directory could not be reached' || return 1; fi
  # shellcheck source=/dev/null
  source "$ACME_CONF"
  [ -s "$ACME_ACCOUNT_KEY" ] || (umask 077 && openssl genrsa -out "$ACME_ACCOUNT_KEY" 2048 2>/dev/null)
  mod=$(openssl rsa -in "$ACME_ACCOUNT_KEY" -noout -modulus | cut -d = -f 2)
  n=$(printf '%b' "$(printf '%s' "$mod" | sed 's/../\\x&/g')" | acme_b64)
  ACME_JWK="{\"e\":\"AQAB\",\"kty\":\"RSA\",\"n\":\"$n\"}"
  thumb=$(printf '%s' "$ACME_JWK" | openssl dgst -sha256 -binary | acme_b64)

  [ "$(acme_curl "$ACME_DIRECTORY")" = 200 ] || { acme_fail 'the ACME directory could not be reached'; return 1; }
  dir=$(tr -d '\n' <"$ACME_TMP/b")
  local new_nonce new_account new_order
  new_nonce=$(acme_field newNonce)
  new_account=$(acme_field newAccount)
  new_order=$(acme_field newOrder)
  acme_curl "$new_nonce" -I >/dev/null
  ACME_NONCE=$(acme_header replay-nonce)
  [ -n "$dir" ] && [ -n "$ACME_NONCE" ] || { acme_fail 'no nonce from the ACME server'; return 1; }

  acme_post "$new_account" "{\"termsOfServiceAgreed\":true,\"contact\":[\"mailto:$email\"]}"
  [[ $ACME_STATUS == 20[01] ]] || { acme_fail "account registration failed ($ACME_STATUS $(acme_detail))"; return 1; }
  ACME_KID=$(acme_header location)

  first=${names%% *}
  for n in $names; do
    ids="$ids${ids:+,}{\"type\":\"dns\",\"value\":\"$n\"}"
    san="$san${san:+,}DNS:$n"
  done
  acme_post "$new_order" "{\"identifiers\":[$ids]}"
  [ "$ACME_STATUS" = 201 ] || { acme_fail "new order failed ($ACME_STATUS $(acme_detail))"; return 1; }
  order=$(acme_header location)
  finalize=$(acme_field finalize)
  local authzs
  authzs=$(tr -d '\n ' <"$ACME_TMP/b" | grep -o '"authorizations":\[[^]]*\]' | grep -o 'https://[^"]*')

  mkdir -p "$webroot/.well-known/acme-challenge"
  chmod 755 "$webroot/.well-known" "$webroot/.well-known/acme-challenge"
  for authz in $authzs; do
    acme_post "$authz" ''
    ch=$(tr -d '\n ' <"$ACME_TMP/b" | tr '{}' '\n\n' | grep '"type":"http-01"' | head -n 1)
    url=$(printf '%s' "$ch" | grep -o '"url":"[^"]*"' | cut -d '"' -f 4)
    token=$(printf '%s' "$ch" | grep -o '"token":"[^"]*"' | cut -d '"' -f 4)
    [[ $token =~ ^[A-Za-z0-9_-]+$ ]] || { acme_fail 'no http-01 challenge offered'; return 1; }
    printf '%s.%s' "$token" "$thumb" >"$webroot/.well-known/acme-challenge/$token"
    chmod 644 "$webroot/.well-known/acme-challenge/$token"
    ACME_TOKENS+=("$webroot/.well-known/acme-challenge/$token")
    acme_post "$url" '{}'
    acme_wait "$authz" valid || { acme_fail "validation of $(acme_field value) failed: $(acme_detail)"; return 1; }
  done

  mkdir -p "$out"
  (umask 077 && openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$out/key.pem" \
    -subj "/CN=$first" -addext "subjectAltName=$san" -outform DER -out "$ACME_TMP/csr.der" 2>/dev/null) ||
    { acme_fail 'making the key and CSR failed'; return 1; }
  acme_post "$finalize" "{\"csr\":\"$(acme_b64 <"$ACME_TMP/csr.der")\"}"
  [ "$ACME_STATUS" = 200 ] || { acme_fail "finalize failed ($ACME_STATUS $(acme_detail))"; return 1; }
  acme_wait "$order" valid || { acme_fail 'the order did not become valid'; return 1; }
  cert=$(acme_field certificate)
  acme_post "$cert" ''
  [ "$ACME_STATUS" = 200 ] || { acme_fail "downloading the certificate failed ($ACME_STATUS)"; return 1; }
  cp "$ACME_TMP/b" "$out/fullchain.pem"
  # The leaf, then the rest of the chain.
  awk -v leaf="$out/cert.pem" -v chain="$out/chain.pem" \
    '/-----BEGIN CERTIFICATE-----/{n++} {print > (n <= 1 ? leaf : chain)}' "$out/fullchain.pem"
  touch "$out/chain.pem"
  rm -rf "$ACME_TMP"
  for t in "${ACME_TOKENS[@]}"; do rm -f "$t"; done
  return 0
}
