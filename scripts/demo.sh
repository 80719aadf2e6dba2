#!/usr/bin/env bash
# `make demo`: the whole pipeline on the bundled sample documents, embedded (SQLite + DuckDB),
# nothing to start by hand. Output files land in demo-out/.
#   documents -> extract (JSON) -> render (text, DOCX, PDF)
#   -> ledger (record amendments, plan terms) -> history (timeline, diff, verify)
#   -> fees (sample NAV, November and December 2003 payables)
#   -> compliance (governance facts, findings, deadline calendar)
#   -> dealers (agreements, trails, retention, the FINRA remaining amount)
set -euo pipefail
cd "$(dirname "$0")/.."
out=demo-out
mkdir -p "$out"
dp=".venv/bin/distplan"
ref=examples/aim/aim-investor-amend2-2003-11-03.txt

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "1. Extract the reference document (Amendment No. 2) into structured data"
$dp extract "$ref" > "$out/amend2.json"
python3 - "$out/amend2.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
rows = d["schedule"]["rows"]
print(f"{d['title']}\n  kind={d['kind']} amendment={d['amendment_number']} effective={d['effective_date']} "
      f"plan dated={d['plan']['dated']} rows={len(rows)} registrants={len({r['registrant'] for r in rows})}")
PY

step "2. Render it back: canonical text, DOCX, PDF"
$dp render "$out/amend2.json" --to text -o "$out/amend2.txt"
$dp render "$out/amend2.json" --to docx -o "$out/amend2.docx"
$dp render "$out/amend2.json" --to pdf -o "$out/amend2.pdf"
ls -l "$out"/amend2.{txt,docx,pdf} | awk '{print "  " $5 " bytes  " $9}'

step "3-4. Record Amendments 2, 3, 4 and the plan terms; timeline, diff, history, verify"
bash scripts/demo-history.sh "$out"
db="--db sqlite:///$out/distplan.db"

step "5. Fees: sample net assets, then the November and December 2003 payables"
$dp $db sample-data --from 2003-11-01 --to 2004-01-01 --out "$out/nav.parquet"
$dp $db fees payables --nav "$out/nav.parquet" --month 2003-11 --out "$out/payables-2003-11.csv"
$dp $db fees payables --nav "$out/nav.parquet" --month 2003-12 --out "$out/payables-2003-12.csv"

step "6. Compliance: record the sample governance file (with deliberate gaps), check, calendar"
$dp $db record examples/governance.yaml
$dp $db check --as-of 2004-12-31 || echo "(distplan check exits 1 when it finds errors: the sample has deliberate gaps)"
$dp $db calendar --from 2004-12-31 --to 2005-07-01

step "7. The web app on this ledger: a demo user, and how to open it"
if ! $dp $db users list | grep -q '^demo'; then
  echo 'demo-password' | $dp $db users add demo --role counsel --password-stdin
fi
echo "  Open the app:  $dp $db serve   then http://127.0.0.1:8000/ and sign in as demo / demo-password"
echo "  API token:     $dp $db users token demo"
echo "  Other roles:   $dp $db users add NAME --role admin|administrator|distributor|auditor --password-stdin"

step "8. The distributor's side: dealer agreements, a quarter's trails, retention, the FINRA remaining amount"
# examples/dealers/: hypothetical dealers holding AIM Investor funds (generate.py wrote the CSVs)
$dp $db dealers record examples/dealers/agreements.yaml
$dp $db fees trails --positions examples/dealers/positions.csv --period 2003-Q4 --out "$out/trails-2003-Q4.csv"
$dp $db fees retention --nav "$out/nav.parquet" --positions examples/dealers/positions.csv --month 2003-12
# Investor Class has no asset-based charge, so the remaining amount is shown on a second ledger
# with HYPOTHETICAL terms (0.75% asset-based + 0.25% service) on the same amendments.
rm -f "$out/class-b.db"
dbb="--db sqlite:///$out/class-b.db"
$dp $dbb record examples/aim/aim-investor-amend2-2003-11-03.txt examples/aim/aim-investor-amend3-2003-11-20.txt \
  examples/aim/aim-investor-amend4-2003-11-24.txt > /dev/null
$dp $dbb terms set --effective 2003-07-01 --distribution 0.75 --service 0.25 \
  --source "hypothetical terms for the demo: 0.75% asset-based sales charge, 0.25% service fee" > /dev/null
$dp $dbb sample-data --from 2003-09-30 --to 2004-01-01 --out "$out/nav-class-b.parquet"
$dp $dbb fees remaining --sales examples/dealers/sales.csv --nav "$out/nav-class-b.parquet" \
  --prime examples/dealers/prime-rate.csv --as-of 2003-12-31 \
  || echo "(distplan fees remaining exits 1 on a finding: the sample's Energy Fund sells too little)"

step "9. Reports: the board's 2003Q4 quarterly 12b-1 report (PDF, XLSX; class-b: the remaining amount), the November statement, the ledger"
stamp="--generated-at 2026-12-01T12:00:00Z"  # a fixed stamp: the same inputs give the same bytes
board=(report board --quarter 2003Q4 --nav "$out/nav.parquet" --positions examples/dealers/positions.csv)
$dp $db "${board[@]}" --to pdf -o "$out/board-2003Q4.pdf" $stamp
$dp $db "${board[@]}" --to xlsx -o "$out/board-2003Q4.xlsx" $stamp
# the remaining amount needs an asset-based charge: the board of the class-b ledger shows it
$dp $dbb report board --quarter 2003Q4 --nav "$out/nav-class-b.parquet" --sales examples/dealers/sales.csv \
  --prime examples/dealers/prime-rate.csv --to pdf -o "$out/board-2003Q4-class-b.pdf" $stamp
$dp $db report statement --month 2003-11 --nav "$out/nav.parquet" --to pdf -o "$out/statement-2003-11.pdf" $stamp
$dp $db report ledger --as-of 2003-12-31 --to pdf -o "$out/ledger-2003-12-31.pdf" $stamp

step "10. Draft Amendment No. 5 and preview it (nothing recorded): diff, findings, a year's fees, redline"
$dp $db sample-data --from 2003-07-01 --to 2004-07-01 --out "$out/nav-12m.parquet"
$dp $db draft --as-of 2004-06-01 --effective 2004-07-01 \
  --add "INVESCO Telecommunications Fund:Investor" --rates 0.00,0.25,0.25 \
  --remove "INVESCO Leisure Fund" --rename "INVESCO Dynamics Fund=INVESCO Dynamic Growth Fund" \
  --set-rates "INVESCO Energy Fund:0.10,0.25,0.35" -o "$out/draft-amend5.json"
$dp $db preview "$out/draft-amend5.json" --nav "$out/nav-12m.parquet"
$dp render "$out/draft-amend5.json" --to docx -o "$out/draft-amend5.docx"
$dp render "$out/draft-amend5.json" --to pdf -o "$out/draft-amend5.pdf"
$dp $db render "$out/draft-amend5.json" --to docx --redline --author "demo" --date 2004-06-02 \
  -o "$out/draft-amend5-redline.docx"
ls -l "$out"/draft-amend5* | awk '{print "  " $5 " bytes  " $9}'

printf '\nDone. Files in %s/\n' "$out"
