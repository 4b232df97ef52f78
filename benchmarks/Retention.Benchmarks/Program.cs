using BenchmarkDotNet.Running;

// Micro-benchmarks (BenchmarkDotNet, with the memory diagnoser): policy evaluation, path checks, candidate streaming.
// Run them with benchmarks/run-micro.sh, or: dotnet run -c Release --project benchmarks/Retention.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Retention.Benchmarks.PolicyBenchmarks).Assembly).Run(args);
