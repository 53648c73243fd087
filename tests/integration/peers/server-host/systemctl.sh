#!/bin/bash
# systemctl STAND-IN for the whole-server test peer (tests/integration/peers/server-host.ts). There is no systemd
# in the peer's namespaces, so this script, installed as /usr/bin/systemctl inside them only, does what the units
# of a stock Debian 12 box do for: nginx, php8.2-fpm, mariadb (mysql), postgresql (postgresql@15-main), ssh.
# Verbs: start stop restart reload reload-or-restart try-restart is-active status is-enabled daemon-reload.
# Exit codes follow systemctl: 0 ok, 1 failed, 3 inactive (status/is-active), 4 no such unit (status), 5 unknown
# unit (others). Unlike systemd's, `reload nginx` returns only once the old workers have exited, so a request made
# after it is always answered by the new configuration (tests assert right after a reload).
set -uo pipefail
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

quiet=0
verb=
units=()
for a in "$@"; do
  case $a in
  -q | --quiet) quiet=1 ;;
  --no-pager | --no-block | --no-ask-password | --system | -l | --full) ;;
  -*) ;;
  *) if [ -z "$verb" ]; then verb=$a; else units+=("$a"); fi ;;
  esac
done

msg() { [ $quiet = 1 ] || printf '%s\n' "$@"; }
err() { printf '%s\n' "$*" >&2; }

# Helpers use shell builtins only: every fork+exec counts on a busy 2-core machine.
# alive PID: exists and is not a zombie
alive() {
  local stat
  read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
  stat=${stat##*) }
  [ "${stat:0:1}" != Z ] && [ "${stat:0:1}" != X ]
}
# pid_of FILE: the live PID in a pid file (which may lack a final newline)
pid_of() {
  local p=
  [ -r "$1" ] || return 1
  read -r p <"$1" || [ -n "$p" ] || return 1
  [ -n "$p" ] && alive "$p" && echo "$p"
}
# nap SECONDS: sleep without an exec (a read that times out on a pipe nobody writes to)
exec {NAP}<> <(:)
nap() { read -rt "$1" -u "$NAP" _ || true; }
# quietly COMMAND...: its output only if it fails (systemd would send it to the journal)
quietly() {
  local out
  out=$("$@" 2>&1) && return 0
  printf '%s\n' "$out" >&2
  return 1
}
# wait_gone PID SECONDS
wait_gone() {
  local i
  for ((i = 0; i < $2 * 100; i++)); do alive "$1" || return 0; nap 0.01; done
  return 1
}
# stop_pid PID SIGNAL: SIGNAL, then SIGKILL after 10 s
stop_pid() {
  kill "-$2" "$1" 2>/dev/null || return 0
  wait_gone "$1" 10 || { kill -KILL "$1" 2>/dev/null; wait_gone "$1" 5; }
}
# wait_for SECONDS COMMAND...: until COMMAND succeeds
wait_for() {
  local t=$1 i
  shift
  for ((i = 0; i < t * 50; i++)); do "$@" >/dev/null 2>&1 && return 0; nap 0.02; done
  return 1
}
children() {
  local c=
  read -r c 2>/dev/null <"/proc/$1/task/$1/children" || true
  echo "$c"
}

canon() {
  local u=${1%.service}
  case $u in
  nginx) echo nginx ;;
  php8.2-fpm) echo php8.2-fpm ;;
  mariadb | mysql | mysqld) echo mariadb ;;
  postgresql | postgresql@15-main) echo postgresql ;;
  ssh | sshd) echo ssh ;;
  *) return 1 ;;
  esac
}

# ---- per unit: NAME_pid (main PID or nothing), NAME_start, NAME_stop, NAME_reload ----
nginx_pid() { pid_of /run/nginx.pid; }
nginx_start() { nginx -t -q && nginx; }
nginx_stop() { local p; p=$(nginx_pid) && stop_pid "$p" QUIT; rm -f /run/nginx.pid; }
nginx_reload() {
  local master old w
  master=$(nginx_pid) || return 1
  nginx -t -q || return 1
  old=$(children "$master")
  quietly nginx -s reload || return 1
  for w in $old; do wait_gone "$w" 10; done
}

fpm_pid() { pid_of /run/php/php8.2-fpm.pid; }
fpm_test() { php-fpm8.2 -t >/dev/null 2>&1 || php-fpm8.2 -t; }
php8.2-fpm_pid() { fpm_pid; }
php8.2-fpm_start() {
  php-fpm8.2 --fpm-config /etc/php/8.2/fpm/php-fpm.conf || return 1 # daemonizes once the pool listens
  /usr/lib/php/php-fpm-socket-helper install /run/php/php-fpm.sock /etc/php/8.2/fpm/pool.d/www.conf 82 || true
}
php8.2-fpm_stop() {
  local p
  p=$(fpm_pid) && stop_pid "$p" TERM
  /usr/lib/php/php-fpm-socket-helper remove /run/php/php-fpm.sock /etc/php/8.2/fpm/pool.d/www.conf 82 || true
}
php8.2-fpm_reload() {
  local p
  p=$(fpm_pid) || return 1
  fpm_test || return 1
  kill -USR2 "$p"
  # USR2 re-executes the master in place (same PID): ready again once the pool socket answers
  wait_for 10 test -S /run/php/php8.2-fpm.sock
}

mariadb_pid() { pid_of /run/mysqld/mysqld.pid; }
mariadb_start() {
  install -d -m 755 -o mysql -g root /run/mysqld
  install -d -m 2750 -o mysql -g adm /var/log/mysql
  setsid /usr/sbin/mariadbd --user=mysql </dev/null >>/var/log/mysql/error.log 2>&1 &
  local p=$! i
  # the socket appears once the server accepts connections; one ping confirms
  for ((i = 0; i < 1500; i++)); do
    alive "$p" || { tail -20 /var/log/mysql/error.log >&2; return 1; }
    [ -S /run/mysqld/mysqld.sock ] && mariadb-admin --connect-timeout=1 ping >/dev/null 2>&1 && return 0
    nap 0.02
  done
  return 1
}
mariadb_stop() { local p; p=$(mariadb_pid) && stop_pid "$p" TERM; }
mariadb_reload() { local p; p=$(mariadb_pid) && kill -HUP "$p"; }

PG_DATA=/var/lib/postgresql/15/main
postgresql_pid() { pid_of "$PG_DATA/postmaster.pid"; }
# What `pg_ctlcluster 15 main start` does (minus its Perl start-up, the slowest part of this peer's boot): the
# postmaster as postgres with Debian's config dir, logging to the cluster's log file; started once postmaster.pid
# says "ready" (line 8). stop/reload/restart use pg_ctlcluster itself.
postgresql_start() {
  local log=/var/log/postgresql/postgresql-15-main.log i state
  install -d -m 2775 -o postgres -g postgres /run/postgresql
  [ -e "$log" ] || install -m 640 -o postgres -g adm /dev/null "$log"
  setsid setpriv --reuid=postgres --regid=postgres --init-groups -- /usr/lib/postgresql/15/bin/postgres -D "$PG_DATA" \
    -c config_file=/etc/postgresql/15/main/postgresql.conf </dev/null >>"$log" 2>&1 &
  local p=$!
  for ((i = 0; i < 1500; i++)); do
    alive "$p" || { tail -20 "$log" >&2; return 1; }
    if [ -r "$PG_DATA/postmaster.pid" ] && mapfile -t state <"$PG_DATA/postmaster.pid"; then
      [ "${state[7]:-}" != "" ] && [ "${state[7]%% *}" = ready ] && return 0
    fi
    nap 0.02
  done
  return 1
}
postgresql_stop() { pg_ctlcluster 15 main stop -m fast; }
postgresql_reload() { pg_ctlcluster 15 main reload; }

ssh_pid() { pid_of /run/sshd.pid; }
ssh_start() { install -d -m 755 /run/sshd && /usr/sbin/sshd -t && /usr/sbin/sshd -E /var/log/sshd.log; }
ssh_stop() { local p; p=$(ssh_pid) && stop_pid "$p" TERM; }
ssh_reload() { local p; p=$(ssh_pid) || return 1; /usr/sbin/sshd -t && kill -HUP "$p"; }

# ---- verbs ----
fail() { err "Job for $1.service failed. See the log in /var/log (systemctl stand-in: no journal)."; return 1; }
do_verb() {
  local u=$1
  case $verb in
  start) "${u}_pid" >/dev/null || "${u}_start" || fail "$u" ;;
  stop) "${u}_pid" >/dev/null && { "${u}_stop" || fail "$u"; }; return 0 ;;
  restart) { ! "${u}_pid" >/dev/null || "${u}_stop"; } && "${u}_start" || fail "$u" ;;
  try-restart) ! "${u}_pid" >/dev/null || { "${u}_stop" && "${u}_start"; } || fail "$u" ;;
  reload)
    "${u}_pid" >/dev/null || { err "$u.service is not active, cannot reload."; return 1; }
    "${u}_reload" || fail "$u"
    ;;
  reload-or-restart)
    if "${u}_pid" >/dev/null; then "${u}_reload" || fail "$u"; else "${u}_start" || fail "$u"; fi
    ;;
  is-active)
    if "${u}_pid" >/dev/null; then msg active; else msg inactive; return 3; fi
    ;;
  is-enabled) msg enabled ;;
  status)
    local p
    if p=$("${u}_pid"); then
      msg "● $u.service - $u (systemctl stand-in)" "     Active: active (running)" "   Main PID: $p"
    else
      msg "○ $u.service - $u (systemctl stand-in)" "     Active: inactive (dead)"
      return 3
    fi
    ;;
  *) err "systemctl stand-in: unsupported verb '$verb'"; return 1 ;;
  esac
}

case $verb in
daemon-reload) exit 0 ;;
'') err "systemctl stand-in: no verb"; exit 1 ;;
esac
[ ${#units[@]} -gt 0 ] || { err "Too few arguments."; exit 1; }
rc=0
for name in "${units[@]}"; do
  if ! u=$(canon "$name"); then
    err "Unit ${name%.service}.service could not be found."
    case $verb in status) rc=4 ;; is-active) msg inactive; rc=3 ;; *) rc=5 ;; esac
    continue
  fi
  do_verb "$u" || { r=$?; [ $rc = 0 ] && rc=$r; }
done
exit $rc
