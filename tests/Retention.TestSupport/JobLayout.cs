namespace Retention.TestSupport;

/// <summary>The job layout the examples use on a real tree, <c>uploads/{id}_dem.tif</c> and <c>results/{id}/</c>, with its record aged from an instant.</summary>
public static class JobLayout
{
    /// <summary>Writes the job's files and returns its record: created two hours and started one hour before it finished <paramref name="age"/> ago.</summary>
    public static JobRecord Job(TempTree tree, string id, JobStatus status, TimeSpan age, DateTimeOffset now, int inputBytes, int outputBytes, int logBytes = 0)
    {
        tree.File($"uploads/{id}_dem.tif", inputBytes);
        tree.File($"results/{id}/out.tif", outputBytes);
        if (logBytes > 0)
        {
            tree.File($"results/{id}/logs/run.txt", logBytes);
        }

        return new JobRecord(id, status)
        {
            JobType = "eemt",
            CreatedAt = now - age - TimeSpan.FromHours(2),
            StartedAt = now - age - TimeSpan.FromHours(1),
            CompletedAt = status.IsActive() ? null : now - age,
        };
    }

    /// <summary>
    /// The fleet tests' mix, by a job's number: per ten jobs, six succeeded 8 days ago and one failed a day ago are due;
    /// one succeeded 2 days ago, one failed an hour ago and one running for 3 days are not.
    /// </summary>
    public static (JobStatus Status, TimeSpan Age) FleetMix(int i) => (i % 10) switch
    {
        <= 5 => (JobStatus.Succeeded, TimeSpan.FromDays(8)),
        6 => (JobStatus.Failed, TimeSpan.FromDays(1)),
        7 => (JobStatus.Succeeded, TimeSpan.FromDays(2)),
        8 => (JobStatus.Running, TimeSpan.FromDays(3)),
        _ => (JobStatus.Failed, TimeSpan.FromHours(1)),
    };

    /// <summary>Whether job <paramref name="i"/> of <see cref="FleetMix"/> is due under the default policy.</summary>
    public static bool IsDueInFleetMix(int i) => i % 10 <= 6;
}
