#!/usr/bin/env bash
# Prints one line per instance: its name and the SHA-256 of the timetable
# that `classplan solve` writes under a work limit (--node-limit), for one
# and two threads. Run it with the binaries of two commits and diff the
# outputs: a refactoring that changes no behaviour gives the same lines.
#   scripts/same-timetables.sh path/to/classplan > before.txt
# comp01 is read from ../shared/itc2007 when that folder is there.
set -euo pipefail
bin="$(realpath "${1:?usage: scripts/same-timetables.sh CLASSPLAN_BINARY}")"
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$bin" generate --size small --seed 1 "$work/small" >/dev/null
"$bin" generate --size medium --seed 1 "$work/medium" >/dev/null
instances=(tiny=instances/tiny ben-tre-2020=instances/ben-tre-2020 toy-itc=instances/toy-itc
    small-1="$work/small" medium-1="$work/medium")
if [ -f ../shared/itc2007/comp01.ctt ]; then
    instances+=(comp01=../shared/itc2007/comp01.ctt)
fi

for entry in "${instances[@]}"; do
    name="${entry%%=*}"
    path="${entry#*=}"
    for threads in 1 2; do
        out="$work/out-$name-$threads"
        # Exit 1 (no timetable) is an answer to compare, not a failure.
        "$bin" solve "$path" --out "$out" --node-limit 50 --rounds 8 --threads "$threads" --seed 0 --quiet || true
        if [ -f "$out/timetable.csv" ]; then
            digest="$(sha256sum "$out/timetable.csv" | cut -d' ' -f1)"
        else
            digest="no-timetable"
        fi
        echo "$name threads=$threads $digest"
    done
done
