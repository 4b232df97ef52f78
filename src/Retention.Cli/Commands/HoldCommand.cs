using System.CommandLine;
using System.Globalization;
using Retention.Cli.Output;
using Retention.Cli.Settings;
using Retention.Holds;
using Retention.Policies;

namespace Retention.Cli.Commands;

/// <summary><c>retention hold add|list|release</c>: holds that keep a job's data whatever the rules say, until released or their end.</summary>
internal static class HoldCommand
{
    public static Command Create(CliContext context) => new("hold", "Keep a job's data whatever the rules say: place, list and release holds.")
    {
        Add(context),
        List(context),
        Release(context),
    };

    private static CommonOptions StoreOptions() =>
        new() { DryRun = null, BatchSize = null, Workers = null, Parallel = null, SkipLarge = null, SizeThreshold = null, Compatible = null };

    private static Command Add(CliContext context)
    {
        var options = StoreOptions();
        var jobId = new Argument<string>("JOB_ID") { Description = "The job to hold" };
        var reason = new Option<string>("--reason") { Description = "Why the data is kept, in words a colleague will understand later (required)" };
        var owner = new Option<string>("--owner") { Description = "Who places the hold (default: $USER)" };
        var until = new Option<string>("--until") { Description = "When the hold ends: a duration from now (7d, 12h) or a UTC date or time (2026-03-01, 2026-03-01T12:00Z); default: until released" };
        var command = new Command("add", "Hold a job: no rule deletes its data while the hold is in force.") { jobId, reason, owner, until };
        options.AddTo(command);
        command.SetAction((parse, cancellationToken) => Cli.Guard(context, async () =>
        {
            var now = context.Time.GetUtcNow();
            var end = parse.GetValue(until) is { } text ? End(text, now) : (DateTimeOffset?)null;
            var who = Who(context, parse.GetValue(owner), "--owner");
            await using var session = await CliHost.OpenAsync(parse, options, context, _ => false, cancellationToken);
            var hold = await session.Get<IJobHolds>().AddAsync(parse.GetValue(jobId)!, who, parse.GetValue(reason) ?? string.Empty, end, cancellationToken);
            context.Out.WriteLine($"Held job {hold.JobId}: {hold.Id} by {hold.Owner}{Until(hold)}: {hold.Reason}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command List(CliContext context)
    {
        var options = StoreOptions();
        var jobId = new Argument<string?>("JOB_ID") { Description = "Only this job's holds (default: every job's)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("list", "The holds in force, every job's or one job's.") { jobId };
        options.AddTo(command);
        command.SetAction((parse, cancellationToken) => Cli.Guard(context, async () =>
        {
            await using var session = await CliHost.OpenAsync(parse, options, context, _ => true, cancellationToken);
            var holds = await session.Get<IJobHolds>().ListAsync(parse.GetValue(jobId), cancellationToken);
            var o = context.Out;
            if (session.Settings.Json)
            {
                o.WriteLine(HoldsJson.Write(holds));
                return ExitCodes.Success;
            }

            if (holds.Count == 0)
            {
                o.WriteLine("No holds in force.");
            }

            foreach (var hold in holds)
            {
                o.WriteLine($"{hold.Id}  job {hold.JobId}  by {hold.Owner} since {Time(hold.CreatedAt)}{Until(hold)}: {hold.Reason}");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Release(CliContext context)
    {
        var options = StoreOptions();
        var holdId = new Argument<string>("HOLD_ID") { Description = "The hold to release (retention hold list shows them)" };
        var by = new Option<string>("--by") { Description = "Who releases it (default: $USER)" };
        var command = new Command("release", "Release a hold: the job's data is again kept only as long as the rules say.") { holdId, by };
        options.AddTo(command);
        command.SetAction((parse, cancellationToken) => Cli.Guard(context, async () =>
        {
            var who = Who(context, parse.GetValue(by), "--by");
            await using var session = await CliHost.OpenAsync(parse, options, context, _ => false, cancellationToken);
            var hold = await session.Get<IJobHolds>().ReleaseAsync(parse.GetValue(holdId)!, who, cancellationToken);
            context.Out.WriteLine($"Released {hold.Id} on job {hold.JobId} (by {hold.Owner}: {hold.Reason}).");
            return ExitCodes.Success;
        }));
        return command;
    }

    // A duration from now (7d), else a UTC date or time.
    private static DateTimeOffset End(string text, DateTimeOffset now)
    {
        if (RetentionPeriod.TryParse(text, out var period, out _) && period.Kind == RetentionPeriodKind.After && period.Age > TimeSpan.Zero)
        {
            return now + period.Age;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var end))
        {
            return end;
        }

        throw new UsageException($"--until: '{text}' is neither a duration (7d, 12h) nor a date or time (2026-03-01, 2026-03-01T12:00Z).");
    }

    private static string Who(CliContext context, string? given, string flag)
    {
        var who = given ?? context.Environment.GetValueOrDefault("USER") ?? context.Environment.GetValueOrDefault("USERNAME");
        return string.IsNullOrWhiteSpace(who) ? throw new UsageException($"{flag}: say who you are (no $USER is set).") : who;
    }

    private static string Until(JobHold hold) => hold.Until is { } end ? $" until {Time(end)}" : string.Empty;

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
