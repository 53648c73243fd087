#!/bin/bash
# PID 1 of a whole-server test peer (server-host.ts). Runs inside fresh mount, PID, network, IPC and UTS
# namespaces (unshare), builds the server's root filesystem and starts its daemons at Debian's standard paths.
#
#   init.sh serve    RUN LAYER  a server: after the mounts, waits for "go ADDR/PREFIX HOSTNAME" on stdin (the host
#                               side moves the veth end "eth0" in meanwhile), then starts the services
#   init.sh template RUN OUT    builds the data layer into OUT/upper and exits
#
# The root is an overlay, entered with pivot_root, of (top to bottom) RUN/seed (host key, users, sshd drop-in,
# systemctl stand-in), LAYER (MariaDB and PostgreSQL data dirs as the packages make them, built once by template
# mode: its upper layer, where the data dirs are opaque so the host's own never show through) and the host's /,
# with a tmpfs upper layer: Debian's own configs and package data are used, and every write lands in the tmpfs and
# vanishes with the namespace. Nothing here writes to the host except OUT in template mode (under the caller's
# temp dir). Progress goes to stdout ("stage:NAME"), diagnostics to stderr (a log file in RUN, opened by the
# caller before the pivot).
set -euo pipefail
MODE=$1 RUN=$2 ARG3=${3:-}
NS=$RUN/ns
say() { printf 'stage:%s\n' "$*"; }
T0=$EPOCHREALTIME
# took WHAT: elapsed milliseconds since the start, to the log (start-up time is this peer's main cost)
took() { printf '[init] %s at %d ms\n' "$1" $(((${EPOCHREALTIME//[.,]/} - ${T0//[.,]/}) / 1000)) >&2; }

# 1. the new root. -n everywhere: libmount would otherwise write /run/mount/utab on the host.
mount -n -t tmpfs -o mode=755 paneldeck-server "$NS"
mkdir "$NS/root"
if [ "$MODE" = serve ]; then
  LAYER=$ARG3
  mkdir "$NS/upper" "$NS/work"
  # The kernel refuses a lower layer inside another (both under /): the seed and data layers go into the tmpfs
  # first. --sparse=always keeps the mostly-zero InnoDB redo log and WAL segments small there.
  cp -a "$RUN/seed" "$NS/seed"
  cp -a --sparse=always "$LAYER" "$NS/layer"
  mount -n -t overlay paneldeck-server-root \
    -o "lowerdir=$NS/seed:$NS/layer:/,upperdir=$NS/upper,workdir=$NS/work" "$NS/root"
  R=$NS/root
  for f in "$R"/etc/ssh/ssh_host_*; do # the host's own host keys: hidden (whiteouts), the seed's stays
    [ -e "$RUN/seed/etc/ssh/${f##*/}" ] || rm -f "$f"
  done
  took layers
else
  OUT=$ARG3
  mkdir "$OUT/upper" "$OUT/work"
  mount -n -t overlay paneldeck-server-template -o "lowerdir=/,upperdir=$OUT/upper,workdir=$OUT/work" "$NS/root"
  R=$NS/root
  # Replace the packages' data dirs: rm + mkdir over a lower dir makes the new one opaque in the upper layer.
  rm -rf "$R/var/lib/mysql" "$R/etc/postgresql/15/main" "$R/var/lib/postgresql/15/main" "$R"/var/log/postgresql/*
  mkdir -p "$R/var/lib/mysql" "$R/etc/postgresql/15" "$R/var/lib/postgresql/15"
  chown mysql:mysql "$R/var/lib/mysql"
  chmod 755 "$R/var/lib/mysql"
fi
took overlay

# 2. pivot_root into it, then the kernel filesystems and fresh tmpfs for /dev, /run, /tmp, /root, /home
cd "$R"
mkdir -p .oldroot
pivot_root . .oldroot
cd /
mount -n -t proc proc /proc
# The server's root is the host's root user: keep it from changing kernel settings through /sys and /proc/sys.
mount -n -t sysfs -o ro sysfs /sys
mount -n --bind /proc/sys /proc/sys
mount -n -o remount,bind,ro /proc/sys
mount -n -t tmpfs -o mode=755,size=4m paneldeck-dev /dev
for n in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
  IFS=: read -r name major minor <<<"$n"
  mknod -m 666 "/dev/$name" c "$major" "$minor"
done
mkdir -m 755 /dev/pts
mkdir -m 1777 /dev/shm
mount -n -t devpts -o newinstance,ptmxmode=0666,mode=620,gid=5 devpts /dev/pts
ln -s pts/ptmx /dev/ptmx
mount -n -t tmpfs -o mode=1777 paneldeck-shm /dev/shm
ln -s /proc/self/fd /dev/fd
ln -s /proc/self/fd/0 /dev/stdin
ln -s /proc/self/fd/1 /dev/stdout
ln -s /proc/self/fd/2 /dev/stderr
mount -n -t tmpfs -o mode=755 paneldeck-run /run
mount -n -t tmpfs -o mode=1777 paneldeck-tmp /tmp
mkdir -m 1777 /run/lock

if [ "$MODE" = template ]; then
  # What the packages' postinst scripts do on a stock box (datadir with root by unix_socket; cluster 15/main).
  mariadb-install-db --user=mysql --datadir=/var/lib/mysql --skip-test-db --skip-name-resolve >&2
  pg_createcluster 15 main -- --no-sync >&2
  # InnoDB's redo log and PostgreSQL's WAL segments are mostly zeros: holes make the per-server copy fast
  find /var/lib/mysql /var/lib/postgresql/15/main -type f -size +1M -print0 |
    while IFS= read -r -d '' f; do cp -a --sparse=always "$f" "$f.sparse" && mv "$f.sparse" "$f"; done
  umount -n -l /.oldroot
  rmdir /.oldroot
  took template
  say template
  exit 0
fi

mount -n -t tmpfs -o mode=700 paneldeck-root-home /root
cp /usr/share/base-files/dot.bashrc /root/.bashrc
cp /usr/share/base-files/dot.profile /root/.profile
mkdir -m 700 /root/.ssh
cp "/.oldroot$RUN/seed-root/authorized_keys" /root/.ssh/authorized_keys
chmod 600 /root/.ssh/authorized_keys
mount -n -t tmpfs -o mode=755 paneldeck-home /home
mkdir -m 755 /home/tester
cp -a /etc/skel/. /home/tester/
chown -R tester:tester /home/tester
umount -n -l /.oldroot
rmdir /.oldroot
took mounted
say mounted

# 3. network and name: the caller has moved our veth end in as "eth0" by now
read -r go CIDR HOST_NAME
[ "$go" = go ] || exit 1
hostname "$HOST_NAME"
echo "$HOST_NAME" >/etc/hostname
printf '127.0.1.1\t%s\n' "$HOST_NAME" >>/etc/hosts
ip link set lo up
ip addr add "$CIDR" dev eth0
ip link set eth0 up

# 4. the services: the runtime dirs the packages' units and tmpfiles.d make, then all units at once (they are
# independent; systemd starts them in parallel too). `systemctl` here is the stand-in (systemctl.sh).
install -d -m 755 -o www-data -g www-data /run/php
install -d -m 2775 -o postgres -g postgres /run/postgresql
took network
pids=()
for unit in mariadb postgresql php8.2-fpm nginx ssh; do
  { systemctl start "$unit" && took "$unit"; } &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
say up

# 5. stay PID 1: bash reaps every orphan that is reparented to it (its SIGCHLD handler waits for any child)
exec >/dev/null </dev/null
trap 'exit 0' TERM
while :; do
  sleep 3600 &
  wait $! || true
done
