#!/bin/sh
# Starts the 3-node NATS cluster of this folder on loopback ports (clients 4231-4233, routes
# 6231-6233, monitoring 8231-8233), JetStream data under /tmp/loyalty-edge/nats-cluster, logs and
# PIDs in the same place. Stop it with ./stop.sh.
#
# The users' passwords come from the environment (LE_NATS_PASSWORD_<USER>); for a local run:
#   eval "$(node deploy/nats/render.mjs --dev-env)"
#   deploy/nats/cluster/start.sh
# then start each service with NATS_URL=nats://127.0.0.1:4231,nats://127.0.0.1:4232,nats://127.0.0.1:4233
# NATS_USER=<service> NATS_PASSWORD="$LE_NATS_PASSWORD_<SERVICE>" NATS_JS_REPLICAS=3 (3 copies of
# every stream and bucket the services create).
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
state=/tmp/loyalty-edge/nats-cluster
server="${NATS_SERVER:-$(command -v nats-server || echo /usr/sbin/nats-server)}"
mkdir -p "$state"
for n in 1 2 3; do
  if [ -f "$state/node-$n.pid" ] && kill -0 "$(cat "$state/node-$n.pid")" 2>/dev/null; then
    echo "node $n already running (pid $(cat "$state/node-$n.pid"))"
    continue
  fi
  "$server" -c "$here/node-$n.conf" >"$state/node-$n.log" 2>&1 &
  echo $! >"$state/node-$n.pid"
  echo "node $n: pid $!, client 127.0.0.1:423$n, monitor http://127.0.0.1:823$n, log $state/node-$n.log"
done
# ready once every node answers /healthz (JetStream included)
for n in 1 2 3; do
  tries=0
  until curl -fsS "http://127.0.0.1:823$n/healthz" >/dev/null 2>&1; do
    tries=$((tries + 1))
    if [ "$tries" -gt 100 ]; then
      echo "node $n is not healthy; see $state/node-$n.log" >&2
      exit 1
    fi
    sleep 0.2
  done
done
echo "cluster le-local ready"
