#!/usr/bin/env bash
# The plan-history part of `make demo`: record the three AIM Investor Class amendments (in
# the order 2, 3, 4) into a fresh ledger, then show the telecom fund's timeline and what
# changed between 19 and 24 November 2003. Usage: scripts/demo-history.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-demo-out}"
mkdir -p "$out"
rm -f "$out/distplan.db" "$out/distplan.db-wal" "$out/distplan.db-shm"
distplan=".venv/bin/distplan --db sqlite:///$out/distplan.db"

$distplan record examples/aim/aim-investor-amend2-2003-11-03.txt \
                 examples/aim/aim-investor-amend3-2003-11-20.txt \
                 examples/aim/aim-investor-amend4-2003-11-24.txt
$distplan terms set --effective 2003-07-01 --distribution 0 --service 0.25 \
  --source "Investor Class plan: 0.00% asset-based sales charge, 0.25% service fee"
echo
$distplan timeline "INVESCO Telecommunications Fund"
echo
$distplan diff --from 2003-11-19 --to 2003-11-24
echo
$distplan history --as-of 2003-11-25
$distplan verify
