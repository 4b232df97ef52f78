using Microsoft.EntityFrameworkCore;
using Retention.EntityFrameworkCore.Tests.Jobs;
using Retention.Stores;

namespace Retention.EntityFrameworkCore.Tests;

/// <summary>Integer keys: pages follow the number (9 before 10, not as text), ids are written as numbers, and a word for an id names no job.</summary>
public sealed class IntegerKeyTests
{
    private static readonly DateTimeOffset Now = new(2024, 1, 20, 2, 0, 0, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(Providers.Available), MemberType = typeof(Providers))]
    public async Task Candidates_of_integer_keys_come_in_numeric_pages_and_are_marked_by_their_number(Provider provider)
    {
        await using var db = new TestDatabase<NumberedJob>(provider);
        var store = await db.CreateStoreAsync(Enumerable.Range(1, 2345).Select(i => new JobRecord(i.ToString(System.Globalization.CultureInfo.InvariantCulture), i % 5 == 0 ? JobStatus.Running : JobStatus.Succeeded)
        {
            StartedAt = Now.AddDays(-9),
            CompletedAt = i % 5 == 0 ? null : Now.AddDays(-8),
        }).ToArray());

        var ids = new List<string>();
        await foreach (var job in store.GetCleanupCandidatesAsync(new CleanupCandidateQuery([JobStatus.Succeeded], Now.AddDays(-7), 500)))
        {
            ids.Add(job.Id);
        }

        await store.MarkDataCleanedAsync(ids.Take(1500).Append("not-a-number").Select(id => new JobDataCleaned(id, JobStatus.Succeeded, Now, 0, 0, null)).ToArray());

        Assert.Equal(Enumerable.Range(1, 2345).Where(i => i % 5 != 0).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), ids);
        Assert.Null(await store.FindJobAsync("not-a-number"));
        Assert.Equal(JobStatus.Running, (await store.FindJobAsync("10"))!.Status);
        await using var context = await db.OpenAsync();
        Assert.Equal(1500, await context.Jobs.CountAsync(j => j.DataCleanedAt != null));
    }
}
