#!/bin/sh
# Stops the nodes started by ./start.sh, by the PIDs it recorded.
set -eu
state=/tmp/loyalty-edge/nats-cluster
for n in 1 2 3; do
  pidfile="$state/node-$n.pid"
  [ -f "$pidfile" ] || continue
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    echo "node $n (pid $pid) stopped"
  fi
  rm -f "$pidfile"
done
