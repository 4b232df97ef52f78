#!/usr/bin/env bash
# The micro-benchmarks: policy evaluation, path safety checks, SQLite candidate streaming, with allocations.
# Usage: benchmarks/run-micro.sh [BenchmarkDotNet arguments, default --filter '*']
set -euo pipefail
cd "$(dirname "$0")/.."
args=("$@")
[ "${#args[@]}" -gt 0 ] || args=(--filter '*')
dotnet run -c Release --project benchmarks/Retention.Benchmarks -- "${args[@]}"
