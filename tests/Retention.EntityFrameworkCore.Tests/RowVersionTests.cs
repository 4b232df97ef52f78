using Microsoft.EntityFrameworkCore;
using Retention.EntityFrameworkCore.Tests.Jobs;
using Retention.Stores;

namespace Retention.EntityFrameworkCore.Tests;

/// <summary>With PostgreSQL's <c>xmin</c> mapped as the row version, a job changed after it was read is not marked.</summary>
public sealed class RowVersionTests
{
    private static readonly DateTimeOffset Now = new(2024, 1, 20, 2, 0, 0, TimeSpan.Zero);

    [PostgresFact]
    public async Task A_job_updated_after_it_was_read_keeps_its_data_uncleaned_and_one_left_alone_is_marked()
    {
        await using var db = new TestDatabase<OffsetJob>(Provider.Postgres);
        var store = await db.CreateStoreAsync([
            new JobRecord("changed", JobStatus.Succeeded) { CreatedAt = Now.AddDays(-9), StartedAt = Now.AddDays(-9), CompletedAt = Now.AddDays(-8) },
            new JobRecord("unchanged", JobStatus.Succeeded) { CreatedAt = Now.AddDays(-9), StartedAt = Now.AddDays(-9), CompletedAt = Now.AddDays(-8) }]);

        var read = new List<JobRecord>();
        await foreach (var job in store.GetCleanupCandidatesAsync(new CleanupCandidateQuery([JobStatus.Succeeded], Now.AddDays(-7), 10)))
        {
            read.Add(job);
        }

        await using (var context = await db.OpenAsync())
        {
            // The host touches the job meanwhile (its status stays the same): only the version tells.
            await context.Jobs.Where(j => j.Id == "changed").ExecuteUpdateAsync(s => s.SetProperty(j => j.JobType, "re-run"));
        }

        await store.MarkDataCleanedAsync(read.Select(j => new JobDataCleaned(j.Id, j.Status, Now, 0, 0, null) { ExpectedVersion = j.Version }).ToArray());

        Assert.All(read, j => Assert.NotNull(j.Version));
        await using var check = await db.OpenAsync();
        Assert.Equal(["unchanged"], await check.Jobs.Where(j => j.DataCleanedAt != null).Select(j => j.Id).ToListAsync());
    }
}
