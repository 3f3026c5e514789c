#!/bin/sh
# Runs a command inside a private network and mount namespace whose only DNS
# server is a UDP socket on loopback that reads every query and never answers.
# Prints "wall_ms=<n>" (the command's wall time, measured by this shell, outside
# the measured process) and "code=<n>" on stdout after the command's output.
# Usage: blackhole-dns.sh <workdir> <node> <command...>
set -eu
dir=$1; node=$2; shift 2
exec unshare --net --mount --propagation private sh -s "$dir" "$node" "$@" <<'INNER'
set -eu
dir=$1; node=$2; shift 2
ip link set lo up
# A long resolver timeout (glibc: 15 s a try, two tries): a run that waits for it is far outside any bound.
printf 'nameserver 127.0.0.1\noptions timeout:15 attempts:2\n' > "$dir/resolv.conf"
mount --bind "$dir/resolv.conf" /etc/resolv.conf
"$node" -e "const s=require('dgram').createSocket('udp4');s.on('message',()=>{});s.bind(53,'127.0.0.1',()=>require('fs').writeFileSync(process.argv[1],''))" "$dir/ready" &
sink=$!
while [ ! -e "$dir/ready" ]; do sleep 0.05; done
start=$(date +%s%N)
set +e
"$@" > "$dir/stdout" 2> "$dir/stderr"
code=$?
end=$(date +%s%N)
kill $sink
echo "wall_ms=$(( (end - start) / 1000000 ))"
echo "code=$code"
INNER
