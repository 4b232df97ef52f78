#!/usr/bin/env bash
# The whole-process scale benchmark: `retention clean` against the physical floor, side by side in one run.
#
#   benchmarks/run-scale.sh            10,000 jobs with 5 files each, 3 runs, memory at 10k and 100k jobs (about two minutes)
#   benchmarks/run-scale.sh --large    1,000,000 jobs, 50,000 of them with 5 files (250,000 files), 3 runs, memory at
#                                      10k, 100k and 1M jobs (about fifteen minutes)
#   benchmarks/run-scale.sh --smoke    200 jobs, 1 run: keeps the benchmark working (CI); its numbers mean nothing
#
# The tool runs as a deployment runs it, as the native binary; RETENTION_TOOL=path runs one already built (scale-common.sh).
# The PostgreSQL store's counterpart, at the same dataset shapes, is run-scale-postgres.sh.
#
# For each run it makes two identical copies of a generated installation (jobs.db in the SQLite store's schema,
# uploads/{id}_dem.tif and results/{id}/ per job). On one it runs `retention clean`; on the other the floor: one sqlite3
# UPDATE marking exactly the due jobs cleaned, then `rm -rf` on exactly the due paths. Both must end the same (same files
# left, same jobs marked). Then a dry run against two floors: the fair one does the same work (sqlite3 selects the due
# jobs, `du -sb` measures their paths, missing ones included), the other is `du -sb` alone on a list made in advance. Then peak memory (`/usr/bin/time -v`) and
# the marking rate of `retention clean` on jobs without files. Medians and ratios are printed; absolute times are noisy.
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=10000 files=4 with_files=10000 runs=3 memory_sizes="10000 100000"
case "${1:-}" in
  --large) jobs=1000000 with_files=50000 runs=3 memory_sizes="10000 100000 1000000" ;;
  --smoke) jobs=200 with_files=200 runs=1 memory_sizes="200" ;;
  "") ;;
  *) echo "usage: $0 [--large|--smoke]" >&2; exit 2 ;;
esac

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
extra_packages=()
. benchmarks/scale-common.sh

# The floor's one UPDATE: the default policy's due jobs (succeeded 7 days; failed and cancelled 12 hours), nothing else.
floor_sql="UPDATE jobs SET data_cleaned_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE data_cleaned_at IS NULL AND
  ((status = 'completed' AND julianday(completed_at) < julianday('now') - 7) OR (status IN ('failed', 'cancelled') AND julianday(completed_at) < julianday('now') - 0.5));"

# The dry run's fair floor: the due jobs selected from the database, then their paths measured, as the tool must.
due_sql="SELECT 'uploads/' || id || '_dem.tif' || char(10) || 'results/' || id FROM jobs WHERE data_cleaned_at IS NULL AND
  ((status = 'completed' AND julianday(completed_at) < julianday('now') - 7) OR (status IN ('failed', 'cancelled') AND julianday(completed_at) < julianday('now') - 0.5));"

state() { (cd "$1" && find uploads results | sort && sqlite3 jobs.db "SELECT id FROM jobs WHERE data_cleaned_at IS NOT NULL ORDER BY id"); }

echo "== dataset: $jobs jobs, $with_files of them with $((files + 1)) files"
"${generate[@]}" "$work/base" "$jobs" "$files" 42 "$with_files"
due_jobs=$(sqlite3 "$work/base/jobs.db" "SELECT count(*) FROM jobs WHERE (status = 'completed' AND julianday(completed_at) < julianday('now') - 7) OR (status IN ('failed', 'cancelled') AND julianday(completed_at) < julianday('now') - 0.5)")

: >"$work/clean.txt"; : >"$work/floor.txt"; : >"$work/dry.txt"; : >"$work/du.txt"; : >"$work/dryfloor.txt"
for run in $(seq 1 "$runs"); do
  rm -rf "$work/a" "$work/b" "$work/c"
  cp -a "$work/base" "$work/a"; cp -a "$work/base" "$work/b"; cp -a "$work/base" "$work/c"
  read -r t _ < <(measure "$work/a" "${tool[@]}" clean); echo "$t" >>"$work/clean.txt"
  read -r t _ < <(measure "$work/b" bash -c "sqlite3 jobs.db \"$floor_sql\" && xargs -d '\n' rm -rf < due-paths.txt"); echo "$t" >>"$work/floor.txt"
  if ! diff -q <(state "$work/a") <(state "$work/b") >/dev/null; then
    echo "run $run: retention clean and the floor ended differently" >&2
    diff <(state "$work/a") <(state "$work/b") | head -20 >&2
    exit 1
  fi
  read -r t _ < <(measure "$work/c" "${tool[@]}" clean --dry-run); echo "$t" >>"$work/dry.txt"
  read -r t _ < <(measure "$work/c" bash -c "xargs -d '\n' du -sbc < due-paths.txt | tail -n 1"); echo "$t" >>"$work/du.txt"
  read -r t _ < <(measure "$work/c" bash -c "sqlite3 jobs.db \"$due_sql\" | xargs -d '\n' du -sbc 2>/dev/null | tail -n 1"); echo "$t" >>"$work/dryfloor.txt"
  echo "run $run: clean $(tail -n1 "$work/clean.txt") s, floor $(tail -n1 "$work/floor.txt") s, dry run $(tail -n1 "$work/dry.txt") s, sqlite3 + du $(tail -n1 "$work/dryfloor.txt") s, du alone $(tail -n1 "$work/du.txt") s; same end state"
done

clean=$(median <"$work/clean.txt"); floor=$(median <"$work/floor.txt"); dry=$(median <"$work/dry.txt"); du=$(median <"$work/du.txt"); dryfloor=$(median <"$work/dryfloor.txt")
echo "== $jobs jobs ($due_jobs due), median of $runs"
awk -v c="$clean" -v f="$floor" 'BEGIN { printf "real run: retention clean %.2f s, floor (sqlite3 UPDATE + rm -rf) %.2f s, ratio %.2fx\n", c, f, c / f }'
awk -v d="$dry" -v f="$dryfloor" 'BEGIN { printf "dry run:  retention clean --dry-run %.2f s, floor (sqlite3 SELECT + du -sb) %.2f s, ratio %.2fx\n", d, f, d / f }'
awk -v d="$dry" -v u="$du" 'BEGIN { printf "dry run:  beside du -sb alone on a list made in advance %.2f s, ratio %.2fx\n", u, d / u }'

echo "== peak memory and marking rate, jobs without files"
for n in $memory_sizes; do
  rm -rf "$work/m"
  "${generate[@]}" "$work/m" "$n" 0 >/dev/null
  marked_before=$(sqlite3 "$work/m/jobs.db" "SELECT count(*) FROM jobs WHERE data_cleaned_at IS NOT NULL")
  cp "$work/m/jobs.db" "$work/m-floor.db"
  read -r t kb < <(measure "$work/m" "${tool[@]}" clean)
  marked=$(( $(sqlite3 "$work/m/jobs.db" "SELECT count(*) FROM jobs WHERE data_cleaned_at IS NOT NULL") - marked_before ))
  read -r ft _ < <(measure "$work" sqlite3 "$work/m-floor.db" "$floor_sql")
  awk -v n="$n" -v t="$t" -v kb="$kb" -v m="$marked" -v ft="$ft" 'BEGIN { printf "%8d jobs: peak %.1f MB, %.2f s, %d marked cleaned, %.0f jobs/s whole process; the floor'"'"'s sqlite3 UPDATE %.2f s, %.0f jobs/s\n", n, kb / 1024, t, m, m / t, ft, (ft > 0 ? m / ft : 0) }'
  rm -f "$work/m-floor.db"
done
