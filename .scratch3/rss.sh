#!/bin/bash
# $1 label, rest: extra node args
label=$1; shift
QUORUM_WORKERS=${W:-thread} DATABASE_URL=postgres://postgres@127.0.0.1:5432/test QUORUM_PORT=18900 QUORUM_DATA_DIR=/tmp/prof/data QUORUM_DEMO_DATA=false QUORUM_LOG=silent QUORUM_BOOTSTRAP_TOKEN=prof_token_0123456789abcdefgh QUORUM_TOKEN_SECRET=prof-secret-0123456789abcdef0123456789 node "$@" dist/server.js serve > /tmp/prof/server.log 2>&1 &
pid=$!
sleep 4
psql -h 127.0.0.1 -U postgres -d test -Atc "select id from public.buying_groups order by random() limit 2000" > /tmp/prof/ids.txt
node .scratch3/ac.mjs details 10 > /tmp/prof/ac.txt
node .scratch3/ac.mjs details 10 >> /tmp/prof/ac.txt
echo "$label: $(grep VmHWM /proc/$pid/status) $(grep VmRSS /proc/$pid/status) $(tail -1 /tmp/prof/ac.txt)"
kill -INT $pid; wait $pid 2>/dev/null
