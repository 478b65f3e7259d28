#!/bin/sh
# gen.sh regenerates the fio output fixtures of results/fio_test.go from a
# real fio (Debian's fio 3.x). Every file is what fio printed on stdout,
# unedited. Run from anywhere: sh results/testdata/fio/gen.sh
set -eu
cd "$(dirname "$0")"
command -v fio >/dev/null || { echo "gen.sh: fio not on PATH (apt-get install fio)" >&2; exit 1; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# group_reporting: one aggregated job entry for both jobs.
fio --name=x --ioengine=null --size=64m --rw=randread --bs=4k --iodepth=1 \
    --numjobs=2 --group_reporting --time_based --runtime=1 \
    --output-format=json >group.json

# json+ (clat bins), no group_reporting: one entry per job, and the
# synchronous engine makes fio print a note before the JSON object.
fio --name=y --ioengine=sync --filename="$scratch/f" --size=4m --rw=randwrite \
    --bs=8k --iodepth=4 --numjobs=2 --time_based --runtime=1 \
    --output-format=json+ >plus-jobs-preamble.json 2>/dev/null

# A job file: [global] options show up as "global options", a mixed
# read/write workload fills both sections.
cat >"$scratch/mixed.fio" <<'JOB'
[global]
ioengine=null
size=64m
bs=16k
iodepth=8
time_based
runtime=1
group_reporting

[mixed]
rw=randrw
rwmixread=70
numjobs=3
JOB
fio --output-format=json "$scratch/mixed.fio" >jobfile-randrw.json
