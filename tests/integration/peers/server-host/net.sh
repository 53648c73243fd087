#!/bin/bash
# Root-namespace network plumbing of the whole-server test peers (server-host.ts), machine-wide and under a lock,
# because several test processes may run servers at once.
#
#   net.sh acquire ID OWNER_PID OWNER_START RUN   lease for one server; adds `unreachable 10.200.0.0/16` first
#   net.sh link ID NS_PID NS_START                  allocates 10.200.N.0/24 and a veth pair: pdsrvN (here,
#                                                   10.200.N.1) <-> eth0 (in NS_PID's network namespace); prints N
#   net.sh release ID                               removes the veth, the lease, and the route with the last lease
#
# SAFETY: traffic to anything but loopback and these namespaces must never leave this machine. While any server
# exists, 10.200.0.0/16 is unreachable in the root namespace; each live server's /24 is a more specific connected
# route on its veth, so only addresses of live servers are reachable. The route stays until the last lease is gone
# (a crashed owner's lease is pruned, and its namespace killed, by the next acquire or release).
set -euo pipefail
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
STATE=/tmp/paneldeck-server-host
ROUTE=10.200.0.0/16
mkdir -p -m 700 "$STATE/leases"
exec 9>"$STATE/lock"
flock -w 30 9

start_time() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk '{print $20}'; }
same() { [ -n "$1" ] && [ -n "$2" ] && [ "$(start_time "$1")" = "$2" ]; }

# lease file: owner_pid owner_start ns_pid ns_start n run
read_lease() { read -r L_OWNER L_OWNER_START L_NS L_NS_START L_N L_RUN <"$1" || true; }

drop() { # drop LEASEFILE: undo everything a lease stands for
  read_lease "$1"
  if [ "${L_NS:--}" != - ] && same "$L_NS" "$L_NS_START"; then kill -KILL "$L_NS" 2>/dev/null || true; fi
  if [ "${L_N:--}" != - ]; then ip link del "pdsrv$L_N" 2>/dev/null || true; fi
  case ${L_RUN:-} in */paneldeck-server-host-*) rm -rf "$L_RUN" ;; esac
  rm -f "$1"
}

prune() { # leases whose owner process is gone
  local f
  for f in "$STATE"/leases/*; do
    [ -f "$f" ] || continue
    read_lease "$f"
    same "${L_OWNER:-}" "${L_OWNER_START:-}" || drop "$f"
  done
}

route_state() { # prints: ours | foreign | none
  local r
  r=$(ip -4 route show exact "$ROUTE")
  if [ -z "$r" ]; then echo none
  elif [ -f "$STATE/route-ours" ] && [ "${r%% *}" = unreachable ]; then echo ours
  elif [ "${r%% *}" = unreachable ]; then echo foreign
  else echo "unsafe: $r"
  fi
}

case $1 in
acquire)
  ID=$2
  prune
  case $(route_state) in
  none) ip route add unreachable "$ROUTE" && touch "$STATE/route-ours" ;;
  ours | foreign) ;;
  *) echo "refusing: a non-unreachable route for $ROUTE exists: $(ip -4 route show exact "$ROUTE")" >&2; exit 1 ;;
  esac
  echo "$3 $4 - - - $5" >"$STATE/leases/$ID"
  ;;
link)
  ID=$2 NS=$3 NS_START=$4
  read_lease "$STATE/leases/$ID"
  same "$NS" "$NS_START" || { echo "namespace init $NS is gone" >&2; exit 1; }
  used=" "
  for f in "$STATE"/leases/*; do read_lease "$f"; used+="${L_N:-} "; done
  read_lease "$STATE/leases/$ID"
  base=$((RANDOM % 254))
  for ((i = 0; i < 254; i++)); do
    n=$(((base + i) % 254 + 1))
    case $used in *" $n "*) continue ;; esac
    [ -z "$(ip -4 -o addr show to "10.200.$n.0/24")" ] || continue
    [ -z "$(ip -4 route show "10.200.$n.0/24" proto kernel)" ] || continue
    ip link add "pdsrv$n" type veth peer name eth0 netns "$NS" 2>/dev/null || continue
    echo "$L_OWNER $L_OWNER_START $NS $NS_START $n $L_RUN" >"$STATE/leases/$ID"
    ip addr add "10.200.$n.1/24" dev "pdsrv$n"
    ip link set "pdsrv$n" up
    echo "$n"
    exit 0
  done
  echo "no free 10.200.N.0/24 subnet" >&2
  exit 1
  ;;
release)
  ID=$2
  if [ -f "$STATE/leases/$ID" ]; then
    read_lease "$STATE/leases/$ID"
    [ "${L_N:--}" = - ] || ip link del "pdsrv$L_N" 2>/dev/null || true
    rm -f "$STATE/leases/$ID"
  fi
  prune
  if [ -z "$(ls -A "$STATE/leases")" ] && [ "$(route_state)" = ours ]; then
    ip route del unreachable "$ROUTE"
    rm -f "$STATE/route-ours"
  fi
  ;;
*) echo "usage: net.sh acquire|link|release ..." >&2; exit 2 ;;
esac
