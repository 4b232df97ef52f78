using Retention.Policies;

namespace Retention.Tests.Policies;

public class RetentionPolicyTests
{
    private static readonly DateTimeOffset Now = new(2024, 1, 20, 2, 0, 0, TimeSpan.Zero);

    private static JobRecord Job(JobStatus status, TimeSpan age, params ArtifactKind[] kinds) => new("job-1", status)
    {
        CreatedAt = Now - age - TimeSpan.FromHours(1),
        StartedAt = Now - age - TimeSpan.FromMinutes(30),
        CompletedAt = status.IsActive() ? null : Now - age,
        Artifacts = kinds.Select((k, i) => new JobArtifact(k, $"/data/{k.Name}/{i}")).ToArray(),
    };

    // Every row of the seed's retention table (000_10d4c00260160d4b.txt), on both sides of its retention.
    [Theory]
    [InlineData(JobStatus.Succeeded, "output", 8 * 24, ArtifactVerdict.Delete, DecisionBasis.AgeElapsed)]
    [InlineData(JobStatus.Succeeded, "output", 6 * 24, ArtifactVerdict.Keep, DecisionBasis.WithinAge)]
    [InlineData(JobStatus.Succeeded, "input", 8 * 24, ArtifactVerdict.Delete, DecisionBasis.AgeElapsed)]
    [InlineData(JobStatus.Succeeded, "input", 167, ArtifactVerdict.Keep, DecisionBasis.WithinAge)]
    [InlineData(JobStatus.Succeeded, "log", 1000 * 24, ArtifactVerdict.Keep, DecisionBasis.NoRule)]
    [InlineData(JobStatus.Failed, "output", 13, ArtifactVerdict.Delete, DecisionBasis.AgeElapsed)]
    [InlineData(JobStatus.Failed, "input", 13, ArtifactVerdict.Delete, DecisionBasis.AgeElapsed)]
    [InlineData(JobStatus.Failed, "temp", 13, ArtifactVerdict.Delete, DecisionBasis.AgeElapsed)]
    [InlineData(JobStatus.Failed, "log", 13, ArtifactVerdict.Delete, DecisionBasis.AgeElapsed)]
    [InlineData(JobStatus.Failed, "output", 11, ArtifactVerdict.Keep, DecisionBasis.WithinAge)]
    [InlineData(JobStatus.Running, "output", 1000 * 24, ArtifactVerdict.Keep, DecisionBasis.ActiveJob)]
    [InlineData(JobStatus.Pending, "input", 1000 * 24, ArtifactVerdict.Keep, DecisionBasis.ActiveJob)]
    [InlineData(JobStatus.Scheduled, "input", 1000 * 24, ArtifactVerdict.Keep, DecisionBasis.ActiveJob)]
    [InlineData(JobStatus.Cancelled, "output", 13, ArtifactVerdict.Delete, DecisionBasis.AgeElapsed)]
    [InlineData(JobStatus.Cancelled, "input", 11, ArtifactVerdict.Keep, DecisionBasis.WithinAge)]
    public void Default_follows_the_seed_retention_table(JobStatus status, string kind, int ageHours, ArtifactVerdict verdict, DecisionBasis basis)
    {
        var job = Job(status, TimeSpan.FromHours(ageHours), new ArtifactKind(kind));

        var decision = RetentionPolicy.Default.Evaluate(job, Now);

        var artifact = Assert.Single(decision.Artifacts);
        Assert.Equal(verdict, artifact.Verdict);
        Assert.Equal(basis, artifact.Basis);
    }

    [Theory]
    [InlineData(JobStatus.Succeeded, 8 * 24)]
    [InlineData(JobStatus.Failed, 13)]
    public void Default_keeps_metadata_forever(JobStatus status, int ageHours)
    {
        var decision = RetentionPolicy.Default.Evaluate(Job(status, TimeSpan.FromHours(ageHours), ArtifactKind.Output), Now);

        Assert.True(decision.IsDue);
        Assert.False(decision.PurgeRecord);
    }

    [Fact]
    public void Reason_reads_like_the_seed()
    {
        var job = Job(JobStatus.Succeeded, TimeSpan.FromDays(8.2), ArtifactKind.Output);

        var decision = RetentionPolicy.Default.Evaluate(job, Now);

        Assert.Equal("succeeded 8.2 days ago; outputs kept 7 days", decision.Artifacts[0].Reason);
        Assert.Equal("succeeded 8.2 days ago; inputs and outputs kept 7 days", decision.Reason);
    }

    [Fact]
    public void Reason_for_data_not_yet_due_says_when_it_is_due()
    {
        var decision = RetentionPolicy.Default.Evaluate(Job(JobStatus.Failed, TimeSpan.FromHours(2), ArtifactKind.Output), Now);

        Assert.Equal("failed 2 hours ago; data kept 12 hours (due in 10 hours)", decision.Reason);
        Assert.Equal(Now + TimeSpan.FromHours(10), decision.NextDueAt);
    }

    [Fact]
    public void Pinned_job_is_never_touched_by_any_rule()
    {
        var policy = RetentionPolicy.CreateBuilder().AddRule("now", r => r.ForStatus(JobStatus.Succeeded).DeleteImmediately().ThenPurgeRecord()).Build();
        var job = Job(JobStatus.Succeeded, TimeSpan.FromDays(365), ArtifactKind.Output) with { Holds = [new JobHold("alice", "legal hold")] };

        var decision = policy.Evaluate(job, Now);

        Assert.Equal(JobProtection.Pinned, decision.Protection);
        Assert.Equal(ArtifactVerdict.Keep, decision.Artifacts[0].Verdict);
        Assert.False(decision.PurgeRecord);
        Assert.False(decision.IsDue);
        Assert.Equal("held by alice: legal hold", decision.Reason);
    }

    [Fact]
    public void Expired_hold_no_longer_protects()
    {
        var job = Job(JobStatus.Succeeded, TimeSpan.FromDays(30), ArtifactKind.Output) with { Holds = [new JobHold("alice", "review", Now.AddDays(-1))] };

        var decision = RetentionPolicy.Default.Evaluate(job, Now);

        Assert.Equal(JobProtection.None, decision.Protection);
        Assert.Equal(ArtifactVerdict.Delete, decision.Artifacts[0].Verdict);
    }

    [Fact]
    public void Active_job_is_protected_even_under_an_immediate_rule()
    {
        var policy = RetentionPolicy.CreateBuilder().AddRule("now", r => r.ForStatus(JobStatus.Failed, JobStatus.Succeeded).DeleteImmediately()).Build();

        var decision = policy.Evaluate(Job(JobStatus.Running, TimeSpan.FromDays(90), ArtifactKind.Output), Now);

        Assert.Equal(JobProtection.Active, decision.Protection);
        Assert.Equal("running; active jobs are never cleaned", decision.Reason);
    }

    [Theory]
    [InlineData(10, ArtifactVerdict.Keep)]
    [InlineData(31, ArtifactVerdict.Delete)]
    public void Two_rules_covering_one_artifact_the_longer_retention_wins(int ageDays, ArtifactVerdict verdict)
    {
        var policy = RetentionPolicy.CreateBuilder()
            .AddRule("short", r => r.ForStatus(JobStatus.Succeeded).RetainFor(TimeSpan.FromDays(7)))
            .AddRule("long", r => r.ForStatus(JobStatus.Succeeded).ForArtifacts(ArtifactKind.Output).RetainFor(TimeSpan.FromDays(30)))
            .Build();

        var decision = policy.Evaluate(Job(JobStatus.Succeeded, TimeSpan.FromDays(ageDays), ArtifactKind.Output, ArtifactKind.Input), Now);

        Assert.Equal(verdict, decision.Artifacts[0].Verdict);
        Assert.Equal("long", decision.Artifacts[0].Rule!.Name);
        Assert.Equal(ArtifactVerdict.Delete, decision.Artifacts[1].Verdict); // the input is covered by the short rule only
    }

    [Fact]
    public void Forever_beats_an_age()
    {
        var policy = RetentionPolicy.CreateBuilder()
            .AddRule("logs-forever", r => r.ForStatus(JobStatus.Failed).ForArtifacts(ArtifactKind.Log).KeepForever())
            .AddRule("failed", r => r.ForStatus(JobStatus.Failed).RetainFor(TimeSpan.FromHours(12)))
            .Build();

        var decision = policy.Evaluate(Job(JobStatus.Failed, TimeSpan.FromDays(400), ArtifactKind.Log, ArtifactKind.Output), Now);

        Assert.Equal(DecisionBasis.KeptForever, decision.Artifacts[0].Basis);
        Assert.Equal(ArtifactVerdict.Delete, decision.Artifacts[1].Verdict);
        Assert.False(decision.HasPendingArtifacts); // kept forever is not "pending": the job can be recorded cleaned
    }

    [Theory]
    [InlineData(2, 240, ArtifactVerdict.Keep, DecisionBasis.WithinNewest)]
    [InlineData(5, 240, ArtifactVerdict.Delete, DecisionBasis.AgeElapsed)]
    [InlineData(5, 12, ArtifactVerdict.Keep, DecisionBasis.WithinAge)]
    [InlineData(null, 240, ArtifactVerdict.Keep, DecisionBasis.UnknownRank)]
    public void Keep_last_n_combines_with_an_age_longest_wins(int? newer, int ageHours, ArtifactVerdict verdict, DecisionBasis basis)
    {
        var policy = RetentionPolicy.CreateBuilder()
            .AddRule("newest-3", r => r.ForStatus(JobStatus.Succeeded).ForJobTypes("report").KeepLast(3))
            .AddRule("a-day", r => r.ForStatus(JobStatus.Succeeded).RetainFor(TimeSpan.FromDays(1)))
            .Build();
        var job = Job(JobStatus.Succeeded, TimeSpan.FromHours(ageHours), ArtifactKind.Output) with { JobType = "report", NewerJobsOfSameType = newer };

        var decision = policy.Evaluate(job, Now);

        Assert.Equal(verdict, decision.Artifacts[0].Verdict);
        Assert.Equal(basis, decision.Artifacts[0].Basis);
    }

    [Fact]
    public void Keep_last_n_alone_deletes_beyond_the_newest()
    {
        var policy = RetentionPolicy.CreateBuilder().AddRule("newest-3", r => r.ForStatus(JobStatus.Succeeded).KeepLast(3)).Build();
        var job = Job(JobStatus.Succeeded, TimeSpan.FromMinutes(5), ArtifactKind.Output) with { JobType = "report", NewerJobsOfSameType = 4 };

        var decision = policy.Evaluate(job, Now);

        Assert.Equal(DecisionBasis.BeyondNewest, decision.Artifacts[0].Basis);
        Assert.Equal("4 newer report succeeded jobs; data kept for the newest 3", decision.Reason);
        Assert.Equal(TimeSpan.Zero, policy.ShortestRetention);
    }

    [Fact]
    public void Job_type_filter_selects_only_that_type()
    {
        var policy = RetentionPolicy.CreateBuilder().AddRule("scans", r => r.ForStatus(JobStatus.Succeeded).ForJobTypes("scan").RetainFor(TimeSpan.FromHours(1))).Build();

        var scan = policy.Evaluate(Job(JobStatus.Succeeded, TimeSpan.FromDays(2), ArtifactKind.Output) with { JobType = "scan" }, Now);
        var other = policy.Evaluate(Job(JobStatus.Succeeded, TimeSpan.FromDays(2), ArtifactKind.Output) with { JobType = "render" }, Now);

        Assert.Equal(ArtifactVerdict.Delete, scan.Artifacts[0].Verdict);
        Assert.Equal(DecisionBasis.NoRule, other.Artifacts[0].Basis);
    }

    [Fact]
    public void Purge_rule_purges_only_when_every_artifact_is_due()
    {
        var policy = RetentionPolicy.CreateBuilder()
            .AddRule("purge-failed", r => r.ForStatus(JobStatus.Failed).RetainFor(TimeSpan.FromDays(1)).ThenPurgeRecord())
            .AddRule("keep-logs", r => r.ForStatus(JobStatus.Failed).ForArtifacts(ArtifactKind.Log).RetainFor(TimeSpan.FromDays(30)))
            .Build();

        var withLog = policy.Evaluate(Job(JobStatus.Failed, TimeSpan.FromDays(2), ArtifactKind.Output, ArtifactKind.Log), Now);
        var withoutLog = policy.Evaluate(Job(JobStatus.Failed, TimeSpan.FromDays(2), ArtifactKind.Output), Now);

        Assert.False(withLog.PurgeRecord);
        Assert.True(withLog.HasPendingArtifacts);
        Assert.True(withoutLog.PurgeRecord);
    }

    [Fact]
    public void Immediate_rule_is_due_as_soon_as_the_job_finished()
    {
        var policy = RetentionPolicy.CreateBuilder().AddRule("temp", r => r.ForStatus(JobStatus.Succeeded).ForArtifacts(ArtifactKind.Temp).DeleteImmediately()).Build();

        var decision = policy.Evaluate(Job(JobStatus.Succeeded, TimeSpan.FromSeconds(1), ArtifactKind.Temp), Now);

        Assert.Equal(DecisionBasis.Immediately, decision.Artifacts[0].Basis);
        Assert.Equal("succeeded 1 second ago; temp files deleted immediately", decision.Reason);
    }

    [Fact]
    public void Rule_selecting_an_active_status_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => RetentionPolicy.CreateBuilder().AddRule("bad", r => r.ForStatus(JobStatus.Running).RetainFor(TimeSpan.FromDays(1))));

        Assert.Contains("active jobs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rule_without_a_retention_is_refused()
    {
        Assert.Throws<ArgumentException>(() => RetentionPolicy.CreateBuilder().AddRule("bad", r => r.ForStatus(JobStatus.Failed)));
    }

    [Fact]
    public void Rule_with_a_duplicate_name_is_refused()
    {
        var builder = RetentionPolicy.CreateBuilder().AddRule("a", r => r.ForStatus(JobStatus.Failed).KeepForever());

        Assert.Throws<ArgumentException>(() => builder.AddRule("A", r => r.ForStatus(JobStatus.Failed).KeepForever()));
    }

    [Fact]
    public void Candidate_query_covers_only_deleting_rules()
    {
        var policy = RetentionPolicy.CreateBuilder()
            .AddRule("forever", r => r.ForStatus(JobStatus.Cancelled).KeepForever())
            .AddRule("failed", r => r.ForStatus(JobStatus.Failed).RetainFor(TimeSpan.FromHours(12)))
            .AddRule("ok", r => r.ForStatus(JobStatus.Succeeded).RetainFor(TimeSpan.FromDays(7)))
            .Build();

        Assert.Equal([JobStatus.Succeeded, JobStatus.Failed], policy.CandidateStatuses);
        Assert.Equal(TimeSpan.FromHours(12), policy.ShortestRetention);
    }

    [Fact]
    public void Decide_allocates_nothing()
    {
        var job = Job(JobStatus.Succeeded, TimeSpan.FromDays(8), ArtifactKind.Output);
        var artifact = job.Artifacts[0];
        var policy = RetentionPolicy.Default;
        _ = policy.Decide(job, artifact, Now); // warm up

        var before = GC.GetAllocatedBytesForCurrentThread();
        var deletes = 0;
        for (var i = 0; i < 10_000; i++)
        {
            deletes += policy.Decide(job, artifact, Now).Verdict == ArtifactVerdict.Delete ? 1 : 0;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(10_000, deletes);
    }
}
