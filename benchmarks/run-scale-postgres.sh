#!/usr/bin/env bash
# The scale benchmark on the PostgreSQL store: `retention clean --postgres` against the physical floor, side by side in
# one run, with one, two and four replicas sharing the work.
#
#   benchmarks/run-scale-postgres.sh            100,000 jobs, 5,000 of them with 5 files (25,000 files), 3 runs;
#                                               marking at 10k and 100k jobs (a few minutes)
#   benchmarks/run-scale-postgres.sh --large    1,000,000 jobs, 50,000 of them with 5 files (250,000 files): the shape of
#                                               run-scale.sh --large; 3 runs; marking at 100k and 1M jobs (about half an hour)
#   benchmarks/run-scale-postgres.sh --smoke    200 jobs, 1 run: keeps the script working; its numbers mean nothing
#   ... --marking-only                          after any of the above: only the marking rate and peak memory section
#
# The server is the one PGHOST, PGPORT, PGUSER and PGPASSWORD name (default 127.0.0.1:5432, retention/retention, a role
# that may create databases); the script creates databases named retention_bench_* and drops them at the end.
#
# The dataset is run-scale.sh's (same generator, seed and ages), its rows copied into a database whose schema the
# PostgreSQL store created itself; each measurement gets its own copy of the files (cp -a) and of the database (CREATE
# DATABASE ... TEMPLATE). The floor: one psql UPDATE marking exactly the due jobs cleaned, then `rm -rf` on exactly the
# due paths. `retention clean --postgres` runs as one, two and four processes started together on the same installation
# (the replicas share the work through the store's claims); each must end in the floor's state (same files left, same
# jobs marked). The dry run is beside psql selecting the due jobs plus `du -sb` on their paths. Then the marking rate and
# peak memory of one replica on jobs without files, at two sizes ten times apart, beside the floor's UPDATE.
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=100000 files=4 with_files=5000 runs=3 replicas="1 2 4" marking_sizes="10000 100000" whole_runs=true
for arg in "$@"; do
  case "$arg" in
    --large) jobs=1000000 with_files=50000 marking_sizes="100000 1000000" ;;
    --smoke) jobs=200 with_files=200 runs=1 replicas="1 2" marking_sizes="200" ;;
    --marking-only) whole_runs=false ;;
    *) echo "usage: $0 [--large|--smoke] [--marking-only]" >&2; exit 2 ;;
  esac
done

export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-retention}" PGPASSWORD="${PGPASSWORD:-retention}"
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"   # no NOTICE for a database that is not there to drop
connection() { echo "Host=$PGHOST;Port=$PGPORT;Username=$PGUSER;Password=$PGPASSWORD;Database=$1"; }
sql() { local db="$1"; shift; psql -X -q -tA -v ON_ERROR_STOP=1 -d "$db" "$@"; }
databases=(retention_bench_base retention_bench_run retention_bench_floor retention_bench_marking retention_bench_marking_floor)
drop_databases() { for db in "${databases[@]}"; do sql postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" 2>/dev/null || true; done; }

work="$(mktemp -d)"
trap 'drop_databases; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM   # so the EXIT trap drops the databases when interrupted too
extra_packages=()
command -v psql >/dev/null || extra_packages+=(postgresql-client)
. benchmarks/scale-common.sh
pg_isready -q || { echo "no PostgreSQL server at $PGHOST:$PGPORT (pg_ctlcluster 15 main start)" >&2; exit 1; }

# The default policy's due jobs (succeeded 7 days; failed and cancelled 12 hours), as the floor marks and lists them.
due="data_cleaned_at IS NULL AND ((status = 'completed' AND completed_at < now() - interval '7 days')
  OR (status IN ('failed', 'cancelled') AND completed_at < now() - interval '12 hours'))"
floor_sql="UPDATE retention.jobs SET data_cleaned_at = now() WHERE $due"
due_sql="SELECT 'uploads/' || id || '_dem.tif' || chr(10) || 'results/' || id FROM retention.jobs WHERE $due"

# A fresh database copied from a template, file by file: FILE_COPY checkpoints before and after, so no measured command
# pays for the server writing back the copy (the default, WAL_LOG, leaves that to the next checkpoint).
fresh_database() { sql postgres -c "DROP DATABASE IF EXISTS $2 WITH (FORCE)" -c "CREATE DATABASE $2 TEMPLATE $1 STRATEGY FILE_COPY"; }
fresh_copy() { rm -rf "$work/$1"; cp -a "$work/base" "$work/$1"; fresh_database retention_bench_base "$2"; }
state() { (cd "$1" && find uploads results | sort && sql "$2" -c "SELECT id FROM retention.jobs WHERE data_cleaned_at IS NOT NULL ORDER BY id"); }

# Starts <count> `retention` processes together in a directory and waits for all; prints "wall-seconds peak-KB-of-any".
replicas_run() {
  local dir="$1" count="$2"; shift 2
  local pids=() start end peak=0 kb
  sync
  start=$(date +%s.%N)
  for i in $(seq 1 "$count"); do
    (cd "$dir" && exec /usr/bin/time -f "%e %M" -o "$work/time.$i" "${tool[@]}" "$@" >"$work/out.$i" 2>&1) &
    pids+=($!)
  done
  for i in $(seq 1 "$count"); do
    wait "${pids[$((i - 1))]}" || { echo "replica $i of $count failed:" >&2; cat "$work/out.$i" >&2; exit 1; }
  done
  end=$(date +%s.%N)
  for i in $(seq 1 "$count"); do read -r _ kb <"$work/time.$i"; [ "$kb" -gt "$peak" ] && peak=$kb; done
  awk -v s="$start" -v e="$end" -v p="$peak" 'BEGIN { printf "%.2f %d\n", e - s, p }'
}

if $whole_runs; then
  echo "== dataset: $jobs jobs, $with_files of them with $((files + 1)) files"
  "${generate[@]}" "$work/base" "$jobs" "$files" 42 "$with_files"
  drop_databases
  sql postgres -c "CREATE DATABASE retention_bench_base"
  "${generate[@]}" postgres "$work/base" "$(connection retention_bench_base)"
  due_jobs=$(sql retention_bench_base -c "SELECT count(*) FROM retention.jobs WHERE $due")
  run_connection="$(connection retention_bench_run)"

  : >"$work/floor.txt"; : >"$work/dry.txt"; : >"$work/dryfloor.txt"
  for n in $replicas; do : >"$work/clean-$n.txt"; : >"$work/peak-$n.txt"; done
  for run in $(seq 1 "$runs"); do
    fresh_copy b retention_bench_floor
    read -r floor _ < <(measure "$work/b" bash -c "psql -X -q -v ON_ERROR_STOP=1 -d retention_bench_floor -c \"$floor_sql\" && xargs -d '\n' rm -rf < due-paths.txt")
    echo "$floor" >>"$work/floor.txt"
    line="run $run: floor $floor s"
    for n in $replicas; do
      fresh_copy a retention_bench_run
      read -r t kb < <(replicas_run "$work/a" "$n" clean --postgres "$run_connection")
      echo "$t" >>"$work/clean-$n.txt"; echo "$kb" >>"$work/peak-$n.txt"
      if ! diff -q <(state "$work/a" retention_bench_run) <(state "$work/b" retention_bench_floor) >/dev/null; then
        echo "run $run: $n replica(s) of retention clean and the floor ended differently" >&2
        diff <(state "$work/a" retention_bench_run) <(state "$work/b" retention_bench_floor) | head -20 >&2
        exit 1
      fi
      line="$line, $n replica(s) $t s (peak $((kb / 1024)) MB)"
    done
    fresh_copy c retention_bench_run
    read -r t _ < <(measure "$work/c" "${tool[@]}" clean --dry-run --postgres "$run_connection"); echo "$t" >>"$work/dry.txt"
    read -r t _ < <(measure "$work/c" bash -c "psql -X -q -tA -d retention_bench_run -c \"$due_sql\" | xargs -d '\n' du -sbc 2>/dev/null | tail -n 1"); echo "$t" >>"$work/dryfloor.txt"
    echo "$line, dry run $(tail -n1 "$work/dry.txt") s, psql + du $(tail -n1 "$work/dryfloor.txt") s; same end state"
  done

  floor=$(median <"$work/floor.txt"); dry=$(median <"$work/dry.txt"); dryfloor=$(median <"$work/dryfloor.txt")
  echo "== $jobs jobs ($due_jobs due) on PostgreSQL, median of $runs"
  for n in $replicas; do
    clean=$(median <"$work/clean-$n.txt"); peak=$(sort -g "$work/peak-$n.txt" | tail -n 1)
    awk -v n="$n" -v c="$clean" -v f="$floor" -v p="$peak" 'BEGIN { printf "real run, %d replica(s): %.2f s, floor (psql UPDATE + rm -rf) %.2f s, ratio %.2fx; peak memory per replica %.1f MB\n", n, c, f, c / f, p / 1024 }'
  done
  awk -v d="$dry" -v f="$dryfloor" 'BEGIN { printf "dry run: retention clean --dry-run %.2f s, floor (psql SELECT + du -sb) %.2f s, ratio %.2fx\n", d, f, d / f }'
fi

echo "== marking rate and peak memory, one replica, jobs without files"
for n in $marking_sizes; do
  rm -rf "$work/m"
  "${generate[@]}" "$work/m" "$n" 0 >/dev/null
  sql postgres -c "DROP DATABASE IF EXISTS retention_bench_marking WITH (FORCE)" -c "CREATE DATABASE retention_bench_marking"
  "${generate[@]}" postgres "$work/m" "$(connection retention_bench_marking)" >/dev/null
  fresh_database retention_bench_marking retention_bench_marking_floor
  before=$(sql retention_bench_marking -c "SELECT count(*) FROM retention.jobs WHERE data_cleaned_at IS NOT NULL")
  read -r t kb < <(measure "$work/m" "${tool[@]}" clean --postgres "$(connection retention_bench_marking)")
  marked=$(( $(sql retention_bench_marking -c "SELECT count(*) FROM retention.jobs WHERE data_cleaned_at IS NOT NULL") - before ))
  read -r ft _ < <(measure "$work" psql -X -q -d retention_bench_marking_floor -c "$floor_sql")
  awk -v n="$n" -v t="$t" -v kb="$kb" -v m="$marked" -v ft="$ft" 'BEGIN { printf "%8d jobs: peak %.1f MB, %.2f s, %d marked cleaned, %.0f jobs/s whole process; the floor'"'"'s psql UPDATE %.2f s, %.0f jobs/s\n", n, kb / 1024, t, m, m / t, ft, (ft > 0 ? m / ft : 0) }'
done
