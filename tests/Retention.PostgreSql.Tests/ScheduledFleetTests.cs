using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Retention.Cleanup;
using Retention.Scheduling;
using Retention.Stores;
using Xunit.Abstractions;

namespace Retention.PostgreSql.Tests;

/// <summary>
/// Hosted replicas over one database with the advisory leader lock and an interval schedule: every replica wakes for the
/// same occurrence, one runs it, the others say they skipped it. Real time, real server, three Generic Hosts.
/// </summary>
public sealed partial class ScheduledFleetTests(PostgresDatabase database, ITestOutputHelper output) : IClassFixture<PostgresDatabase>
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    [PostgresFact]
    public async Task Three_replicas_started_at_different_moments_run_each_interval_occurrence_once_and_the_others_log_the_skip()
    {
        using var tree = new TempTree();
        var schema = "sched_" + Guid.NewGuid().ToString("N")[..10];
        var replicas = Enumerable.Range(0, 3).Select(_ => new Replica(database.ConnectionString, schema, tree)).ToList();
        try
        {
            // Started 1.3 s apart, so counted from their own starts their "every 00:00:02" occurrences would never coincide.
            // The fleet's occurrences are those after the first replica's schedule started.
            var starts = new List<DateTimeOffset>();
            foreach (var replica in replicas)
            {
                if (starts.Count > 0)
                {
                    await Task.Delay(TimeSpan.FromSeconds(1.3));
                }

                await replica.StartAsync();
                starts.Add(DateTimeOffset.UtcNow);
            }

            var startedAt = starts[0];

            // Stop half-way between occurrences, about 14 s after the first start, so no occurrence is in flight.
            var stopAt = Floor(startedAt + TimeSpan.FromSeconds(14)) + Interval / 2;
            await Task.Delay(stopAt - DateTimeOffset.UtcNow);
            await Task.WhenAll(replicas.Select(r => r.StopAsync()));

            var runs = await replicas[0].Services.GetRequiredService<ICleanupRunStore>().GetRunsAsync(new CleanupRunQuery { Limit = 1000, Trigger = CleanupTriggers.Schedule });
            var occurrences = Occurrences(startedAt, stopAt);
            var runOccurrences = runs.Select(r => Floor(r.StartedAt)).ToList();
            var skips = replicas.Select(r => r.Skips()).ToList();
            output.WriteLine($"{runs.Count} scheduled run(s) for {occurrences.Count} occurrence(s) in {(stopAt - startedAt).TotalSeconds:F1} s; skips logged per replica: {string.Join(", ", skips.Select(s => s.Count))}");
            foreach (var run in runs.OrderBy(r => r.StartedAt))
            {
                output.WriteLine($"  run {run.RunId} started {run.StartedAt:HH:mm:ss.fff}");
            }

            // Each occurrence ran at most once, inside its own interval, and (all but perhaps one on a loaded machine) every occurrence ran.
            Assert.Equal(runOccurrences.Count, runOccurrences.Distinct().Count());
            Assert.All(runOccurrences, o => Assert.Contains(o, occurrences));
            Assert.InRange(runs.Count, occurrences.Count - 1, occurrences.Count);

            // Once all three are up (their schedules started), every replica accounts for every occurrence: one ran it, the other two logged the skip.
            foreach (var occurrence in occurrences.Where(o => o > starts[^1]))
            {
                var ran = runOccurrences.Count(o => o == occurrence);
                var skipped = skips.Count(s => s.Contains(occurrence));
                Assert.True(ran == 1 && skipped == 2, $"occurrence {occurrence:HH:mm:ss}: {ran} run(s), {skipped} replica(s) logged a skip");
            }

            // And their status says which occurrence they left to another instance, and why.
            foreach (var (replica, logged) in replicas.Zip(skips))
            {
                var status = replica.Services.GetRequiredService<ICleanupStatus>().GetSnapshot().LastSkippedOccurrence;
                Assert.Equal(logged.Count == 0 ? null : logged.Max(), status?.Occurrence);
                Assert.True(status is null or { Reason: OccurrenceSkipReason.LockHeldElsewhere or OccurrenceSkipReason.RanElsewhere });
            }
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }
        }
    }

    // The occurrence an instant belongs to: the last multiple of the interval since the epoch at or before it.
    private static DateTimeOffset Floor(DateTimeOffset at) =>
        DateTimeOffset.UnixEpoch.AddTicks((at - DateTimeOffset.UnixEpoch).Ticks / Interval.Ticks * Interval.Ticks);

    private static List<DateTimeOffset> Occurrences(DateTimeOffset from, DateTimeOffset to)
    {
        var schedule = CleanupSchedule.Every(Interval);
        var list = new List<DateTimeOffset>();
        for (var at = schedule.GetNextOccurrence(from); at < to; at = schedule.GetNextOccurrence(at))
        {
            list.Add(at);
        }

        return list;
    }

    [GeneratedRegex(@"^(?:Another instance holds the leader lock '[^']+'; it runs the cleanup due at (?<due>[0-9-]+ [0-9:]+Z) \(schedule\)|The scheduled cleanup due at (?<due>[0-9-]+ [0-9:]+Z) already ran on another instance)")]
    private static partial Regex SkipLine();

    /// <summary>One hosted replica: its own Generic Host, container, store and connection pool, configured as a host's settings would.</summary>
    private sealed class Replica : IAsyncDisposable
    {
        private readonly IHost _host;
        private readonly ListLoggerProvider _logs = new();

        public Replica(string connectionString, string schema, TempTree tree)
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production", DisableDefaults = true });
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["JobCleanup:Background:Schedule"] = "every 00:00:02",
                ["JobCleanup:Background:StartDelay"] = "00:00:00",
                ["JobCleanup:Background:Reaper:Enabled"] = "false",
            });
            builder.Logging.ClearProviders().AddProvider(_logs).SetMinimumLevel(LogLevel.Information);
            builder.Services.AddJobCleanup(o => o.AddRoot("uploads", tree.Dir("uploads")).AddRoot("results", tree.Dir("results")))
                .UsePostgresStore(p =>
                {
                    p.ConnectionString = connectionString;
                    p.Schema = schema;
                })
                .UsePostgresLeaderLock()
                .AddBackgroundCleanup();
            _host = builder.Build();
        }

        public IServiceProvider Services => _host.Services;

        public async Task StartAsync()
        {
            await Services.GetRequiredService<PostgresJobStore>().InitializeAsync();
            await _host.StartAsync();
        }

        public Task StopAsync() => _host.StopAsync();

        /// <summary>The occurrences this replica logged it left to another instance.</summary>
        public HashSet<DateTimeOffset> Skips() =>
            [.. _logs.Messages.Select(m => SkipLine().Match(m)).Where(m => m.Success)
                .Select(m => DateTimeOffset.ParseExact(m.Groups["due"].Value, "u", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal))];

        public async ValueTask DisposeAsync()
        {
            _host.Dispose();
            await Task.CompletedTask;
        }
    }
}
