using Retention.Stores;

namespace Retention.PostgreSql.Tests;

public sealed class ArtifactUsageTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [PostgresFact]
    public async Task Artifact_usage_sums_the_recorded_sizes_by_kind_of_jobs_not_yet_cleaned()
    {
        var now = DateTimeOffset.UtcNow;
        await using var store = database.NewStore();
        await store.UpsertAsync([
            new JobRecord("a", JobStatus.Succeeded) { CreatedAt = now, Artifacts = [new(ArtifactKind.Input, "uploads/a_dem.tif", 100), new(ArtifactKind.Output, "results/a", 1000)] },
            new JobRecord("b", JobStatus.Failed) { CreatedAt = now, Artifacts = [new(ArtifactKind.Output, "results/b", 24), new(ArtifactKind.Log, "logs/b.txt", null)] },
            new JobRecord("c", JobStatus.Failed) { CreatedAt = now, DataCleanedAt = now, Artifacts = [new(ArtifactKind.Output, "results/c", 5000)] }]);

        var usage = await store.GetArtifactUsageAsync();

        Assert.Equal(
            [new ArtifactUsage(ArtifactKind.Input, 1, 100), new ArtifactUsage(ArtifactKind.Log, 1, 0), new ArtifactUsage(ArtifactKind.Output, 2, 1024)],
            usage);
    }
}
