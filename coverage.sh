#!/usr/bin/env bash
# coverage.sh: runs the app's tests (unit + in-process integration) with the JaCoCo agent and prints the total
# line and branch coverage of the `app` module, the classes below the target, and where the HTML report is.
# Usage: ./coverage.sh [extra mvn args]      Target: 85% of lines.
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -q -Pcoverage -pl app -am verify "$@"
csv=app/target/site/jacoco/jacoco.csv
[ -f "$csv" ] || { echo "coverage.sh: no report at $csv" >&2; exit 1; }
awk -F, 'NR > 1 {
    lm += $8; lc += $9; bm += $6; bc += $7
    cl = $8 + $9
    if (cl > 0 && $9 / cl < 0.85) low = low sprintf("  %-60s %5.1f%% of %d lines\n", $2 "." $3, 100 * $9 / cl, cl)
  }
  END {
    printf "app line coverage:   %5.1f%% (%d of %d lines)\n", 100 * lc / (lc + lm), lc, lc + lm
    printf "app branch coverage: %5.1f%% (%d of %d branches)\n", 100 * bc / (bc + bm), bc, bc + bm
    if (low != "") printf "classes under 85%% of lines:\n%s", low
  }' "$csv"
echo "HTML report: $(pwd)/app/target/site/jacoco/index.html"
