using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using Retention.EntityFrameworkCore.Tests.Jobs;
using Retention.Stores;

namespace Retention.EntityFrameworkCore.Tests;

/// <summary>The store's statements: a batch is one statement, a page of candidates two queries, whatever the number of jobs, on both providers.</summary>
public sealed class SetBasedTests
{
    private static readonly DateTimeOffset Now = new(2024, 1, 20, 2, 0, 0, TimeSpan.Zero);

    private static IEnumerable<JobRecord> Jobs(int count) => Enumerable.Range(0, count).Select(i => new JobRecord($"job-{i:D5}", JobStatus.Succeeded)
    {
        CreatedAt = Now.AddDays(-10),
        StartedAt = Now.AddDays(-10),
        CompletedAt = Now.AddDays(-9),
    });

    [Theory]
    [MemberData(nameof(Providers.Available), MemberType = typeof(Providers))]
    public async Task Marking_a_batch_of_500_jobs_is_one_update_and_2500_candidates_are_three_pages_of_two_queries(Provider provider)
    {
        await using var db = new TestDatabase<WordJob>(provider);
        var counter = new CommandCounter();
        await db.CreateAsync((services, configure) => services.AddDbContextFactory<JobsContext<WordJob>>(o => configure(o.AddInterceptors(counter))));
        await db.AddAsync(Jobs(2500));
        var store = db.NewStore();
        counter.Clear();

        var candidates = new List<JobRecord>();
        await foreach (var job in store.GetCleanupCandidatesAsync(new CleanupCandidateQuery([JobStatus.Succeeded], Now.AddDays(-7), 100)))
        {
            candidates.Add(job);
        }

        var reads = counter.Commands;
        counter.Clear();
        await store.MarkDataCleanedAsync(candidates.Take(500).Select(j => new JobDataCleaned(j.Id, JobStatus.Succeeded, Now, 0, 0, "outputs")).ToArray());
        var marks = counter.Commands;

        Assert.Equal(2500, candidates.Select(j => j.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(6, reads.Count); // pages of 1,000, 1,000 and 500: the jobs, then their artifacts
        Assert.Single(marks);
        Assert.StartsWith("UPDATE", marks[0].TrimStart(), StringComparison.OrdinalIgnoreCase);
        await using var context = await db.OpenAsync();
        Assert.Equal(500, await context.Jobs.CountAsync(j => j.DataCleanedAt != null));
    }
}
