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
E_CONNECT=15
# Hestia's own check of an SSL_DIR (func/domain.sh is_web_domain_cert_valid): DOMAIN.crt and DOMAIN.key exist, the
# key is a PEM private key that belongs to the certificate, and DOMAIN.ca (when given) issued it.
is_web_domain_cert_valid() { # $1 = ssl_dir, $2 = domain
  local dir=$1 d=$2 s1 s2
  [ -e "$dir/$d.crt" ] || check_result $E_NOTEXIST "$dir/$d.crt not found"
  [ -e "$dir/$d.key" ] || check_result $E_NOTEXIST "$dir/$d.key not found"
  openssl x509 -in "$dir/$d.crt" -noout 2>/dev/null || check_result $E_INVALID 'SSL Certificate is not valid'
  if [ -e "$dir/$d.ca" ]; then
    s1=$(openssl x509 -noout -in "$dir/$d.crt" -issuer 2>/dev/null | cut -d = -f 2-)
    s2=$(openssl x509 -noout -in "$dir/$d.ca" -subject 2>/dev/null | cut -d = -f 2-)
    [ "$s1" = "$s2" ] || check_result $E_NOTEXIST 'SSL intermediate chain is not valid'
  fi
  [ "$(grep -c 'PRIVATE KEY' "$dir/$d.key")" -eq 2 ] || check_result $E_INVALID 'SSL Key is not valid'
  grep -q ENCRYPTED "$dir/$d.key" && check_result 10 'SSL Key is protected (remove pass_phrase)'
  [ "$(openssl x509 -in "$dir/$d.crt" -noout -pubkey 2>/dev/null)" = "$(openssl pkey -in "$dir/$d.key" -pubout 2>/dev/null)" ] ||
    check_result $E_INVALID 'ssl certificate key pair is not valid'
}
# Copies DOMAIN.{crt,key,ca} of an SSL_DIR into the user's data and the domain's conf (DOMAIN.pem = crt + ca), as
# Hestia does, writes the domain's nginx.ssl.conf (443, that pem and key), tests nginx and reloads it.
install_web_ssl() { # $1 = user, $2 = domain, $3 = ssl_dir
  local user=$1 d=$2 dir=$3 data="$HESTIA/data/users/$1/ssl" conf="/home/$1/conf/web/$2" line root aliases f
  mkdir -p "$data" "$conf/ssl"
  rm -f "$data/$d".* "$conf/ssl/$d".*
  cp -f "$dir/$d.crt" "$data/$d.crt"
  cp -f "$dir/$d.key" "$data/$d.key"
  cp -f "$dir/$d.crt" "$data/$d.pem"
  if [ -e "$dir/$d.ca" ]; then
    cp -f "$dir/$d.ca" "$data/$d.ca"
    { echo; cat "$data/$d.ca"; } >>"$data/$d.pem"
    sed -i '/^$/d' "$data/$d.pem"
  fi
  chmod 660 "$data/$d".*
  for f in "$data/$d".*; do cp -f "$f" "$conf/ssl/"; done
  line=$(find_line "$HESTIA/data/users/$user/web.conf" DOMAIN "$d")
  root=$(eval "$line"; echo "${DOCUMENT_ROOT%/}")
  aliases=$(eval "$line"; echo "$ALIAS")
  cat >"$conf/nginx.ssl.conf" <<NGX
# Hestia stand-in SSL vhost for $d
server {
  listen 443 ssl;
  server_name $d ${aliases//,/ };
  root $root;
  index index.php index.html;
  ssl_certificate $conf/ssl/$d.pem;
  ssl_certificate_key $conf/ssl/$d.key;
}
NGX
  ln -sfn "$conf/nginx.ssl.conf" "/etc/nginx/conf.d/domains/$d.ssl.conf"
  if ! nginx -t >/dev/null 2>&1; then
    rm -f "/etc/nginx/conf.d/domains/$d.ssl.conf"
    check_result 20 "nginx configuration test failed"
  fi
  reload_nginx >/dev/null 2>&1 || check_result 20 "nginx reload failed"
}
# Sets KEY='value' of the object KEY0='name' in a conf file.
update_object_value() { # $1 = file, $2 = key field, $3 = name, $4 = key, $5 = value
  sed -i "/^$2='${3//./\\.}' /s/ $4='[^']*'/ $4='$5'/" "$1"
}
