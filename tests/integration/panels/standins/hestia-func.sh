#!/bin/bash
# Shared functions of the HestiaCP v-* STAND-INS — not HestiaCP. Test doubles for PanelDeck's hestia driver, written
# from HestiaCP's public CLI reference: the same names, arguments, `json` output and exit codes (1 args, 2 invalid,
# 3 does not exist, 4 exists). They change the REAL nginx and the REAL MariaDB and keep their state like Hestia, in
# /usr/local/hestia/data/users/USER/{user,web,db}.conf (one KEY='value' line per object).
set -u
HESTIA=/usr/local/hestia
LOG=/var/log/paneldeck-standin.log
E_ARGS=1; E_INVALID=2; E_NOTEXIST=3; E_EXISTS=4; E_SUSPENDED=5; E_UNSUSPENDED=6

check_result() { echo "Error: $2"; exit "$1"; }
check_args() { # $1 = how many required, $2 = how many given, $3 = usage
  if [ "$2" -lt "$1" ]; then echo "Usage: $(basename "$0") $3"; exit $E_ARGS; fi
}
log_call() { echo "$(basename "$0") $*" >>"$LOG"; }
is_user_valid() {
  [[ $1 =~ ^[a-z][a-z0-9_-]{0,27}$ ]] || check_result $E_INVALID "invalid user format :: $1"
  [ -e "$HESTIA/data/users/$1/user.conf" ] || check_result $E_NOTEXIST "user $1 doesn't exist"
}
is_domain_valid() {
  [[ $1 =~ ^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$ ]] || check_result $E_INVALID "invalid domain format :: $1"
}
is_dbname_valid() {
  [[ $1 =~ ^[a-z][a-z0-9_]{0,63}$ ]] || check_result $E_INVALID "invalid $2 format :: $1"
}
# Prints the line of object KEY='value' in a conf file (empty when none).
find_line() { grep -F "$2='$3' " "$1" 2>/dev/null | head -n 1; }
drop_line() { local tmp; tmp=$(mktemp); grep -vF "$2='$3' " "$1" >"$tmp" || true; cat "$tmp" >"$1"; rm -f "$tmp"; }
reload_nginx() {
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet nginx 2>/dev/null; then systemctl reload nginx; else nginx -s reload; fi
}
# Prints a conf file as Hestia's json: { "<value of KEY>": { "K": "v", ... }, ... }.
conf_json() { # $1 = file, $2 = key field
  local first=1 line
  echo '{'
  if [ -f "$1" ]; then
    while IFS= read -r line; do
      [ -n "$line" ] || continue
      (
        eval "$line"
        [ $first -eq 1 ] || echo ','
        printf '    "%s": {' "${!2}"
        sep=''
        for kv in $line; do
          k=${kv%%=*}
          printf '%s\n        "%s": "%s"' "$sep" "$k" "${!k}"
          sep=','
        done
        printf '\n    }'
      )
      first=0
    done <"$1"
  fi
  printf '\n}\n'
}
