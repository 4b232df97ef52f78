# Sourced by run-scale.sh and run-scale-postgres.sh: the prerequisites, the tool under test, the dataset generator,
# and how a command is measured. Expects `work` (a temporary folder) to be set, and `extra_packages` (may be empty).

need=("${extra_packages[@]}")
command -v sqlite3 >/dev/null || need+=(sqlite3)
[ -n "${RETENTION_TOOL:-}" ] || command -v clang >/dev/null || need+=(clang zlib1g-dev)   # native AOT's prerequisites
[ -x /usr/bin/time ] || need+=(time)
if [ "${#need[@]}" -gt 0 ]; then (apt-get update && apt-get install -y "${need[@]}") >/dev/null; fi

# The tool runs as a deployment runs it: the native binary (`dotnet publish src/Retention.Cli -r linux-x64
# -p:PublishAot=true`, docs/cli.md), which starts in 40 ms with no JIT. RETENTION_TOOL=path runs a binary already built.
if [ -n "${RETENTION_TOOL:-}" ]; then
  tool=("$(realpath "$RETENTION_TOOL")")
else
  dotnet publish src/Retention.Cli -c Release -r linux-x64 -p:PublishAot=true -o "$work/tool" -v quiet -nologo >/dev/null
  tool=("$work/tool/retention")
fi
dotnet build -c Release benchmarks/Retention.ScaleBench -v quiet -nologo >/dev/null
generate=(dotnet "$PWD/benchmarks/Retention.ScaleBench/bin/Release/net10.0/Retention.ScaleBench.dll")

# Runs a command in a directory; prints "seconds peak-KB". It starts after a sync, so no command pays for the disk
# writing back what the copies or the command before it left dirty.
measure() {
  local dir="$1"; shift
  sync
  (cd "$dir" && /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >"$work/out.txt" 2>&1) || { cat "$work/out.txt" >&2; exit 1; }
  cat "$work/time.txt"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
