using System.Runtime.CompilerServices;
using Retention.Cleanup;

namespace Retention.Stores.InMemory;

/// <summary>
/// A thread-safe job store held in memory, with every store capability. For tests, samples and hosts whose jobs live
/// in memory anyway; it ranks jobs for keep-newest-N rules, keeps tombstones, holds (on the jobs' <see cref="JobRecord.Holds"/>) and the run history.
/// </summary>
public sealed class InMemoryJobStore : IJobStore, IJobPurgeStore, IStaleJobStore, IJobLookupStore, IReferencedPathStore, ICleanupRunStore, IStorageUsageStore, IArtifactUsageStore, ICleanupCandidateCounter, IJobHoldStore, IRecordTrimStore
{
    private readonly object _gate = new();
    private readonly Dictionary<string, JobRecord> _jobs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JobDataCleaned> _tombstones = new(StringComparer.Ordinal);
    private readonly List<CleanupRunRecord> _runs = [];

    /// <summary>How many jobs the store holds.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _jobs.Count;
            }
        }
    }

    /// <summary>A snapshot of every job, ordered by id.</summary>
    public IReadOnlyList<JobRecord> Jobs
    {
        get
        {
            lock (_gate)
            {
                return _jobs.Values.OrderBy(j => j.Id, StringComparer.Ordinal).ToArray();
            }
        }
    }

    /// <summary>Adds a job, or replaces the job with the same id.</summary>
    /// <param name="job">The job.</param>
    public void Upsert(JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        lock (_gate)
        {
            _jobs[job.Id] = job;
        }
    }

    /// <summary>Adds or replaces several jobs.</summary>
    /// <param name="jobs">The jobs.</param>
    public void UpsertRange(IEnumerable<JobRecord> jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        lock (_gate)
        {
            foreach (var job in jobs)
            {
                _jobs[job.Id] = job;
            }
        }
    }

    /// <summary>Gets a job by id.</summary>
    /// <param name="id">The id.</param>
    /// <returns>The job, or <see langword="null"/> when there is none.</returns>
    public JobRecord? Find(string id)
    {
        lock (_gate)
        {
            return _jobs.GetValueOrDefault(id);
        }
    }

    /// <summary>Gets the tombstone recorded when the job's data was cleaned.</summary>
    /// <param name="id">The job id.</param>
    /// <returns>The tombstone, or <see langword="null"/> when the job has not been cleaned.</returns>
    public JobDataCleaned? FindTombstone(string id)
    {
        lock (_gate)
        {
            return _tombstones.GetValueOrDefault(id);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<JobRecord> GetCleanupCandidatesAsync(CleanupCandidateQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        JobRecord[] candidates;
        lock (_gate)
        {
            // Rank each finished job among the newer jobs of its type and status, for keep-newest-N rules.
            var ranks = _jobs.Values
                .Where(j => !j.Status.IsActive())
                .GroupBy(j => (j.JobType, j.Status))
                .SelectMany(g => g.OrderByDescending(j => j.FinishedAt).ThenByDescending(j => j.Id, StringComparer.Ordinal).Select((j, rank) => (j.Id, rank)))
                .ToDictionary(x => x.Id, x => x.rank, StringComparer.Ordinal);
            candidates = _jobs.Values
                .Where(query.Matches)
                .OrderBy(j => j.FinishedAt).ThenBy(j => j.Id, StringComparer.Ordinal)
                .Select(j => j with { NewerJobsOfSameType = ranks.TryGetValue(j.Id, out var rank) ? rank : null })
                .ToArray();
        }

        for (var i = 0; i < candidates.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (i % Math.Max(1, query.BatchSize) == 0)
            {
                await Task.Yield(); // page boundary: let the consumer's work interleave, as a real store's round trip would
            }

            yield return candidates[i];
        }
    }

    /// <inheritdoc />
    public Task<long> CountCleanupCandidatesAsync(CleanupCandidateQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        lock (_gate)
        {
            return Task.FromResult((long)_jobs.Values.Count(query.Matches));
        }
    }

    /// <inheritdoc />
    public ValueTask MarkDataCleanedAsync(IReadOnlyList<JobDataCleaned> jobs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            foreach (var cleaned in jobs)
            {
                if (_jobs.TryGetValue(cleaned.JobId, out var job) && job.Status == cleaned.ExpectedStatus && job.DataCleanedAt is null)
                {
                    _jobs[cleaned.JobId] = job with { DataCleanedAt = cleaned.CleanedAt };
                    _tombstones[cleaned.JobId] = cleaned;
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask PurgeJobsAsync(IReadOnlyList<JobDataCleaned> jobs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            foreach (var purge in jobs)
            {
                if (_jobs.TryGetValue(purge.JobId, out var job) && job.Status == purge.ExpectedStatus)
                {
                    _jobs.Remove(purge.JobId);
                    _tombstones[purge.JobId] = purge;
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public IAsyncEnumerable<string> GetAllJobIdsAsync(CancellationToken cancellationToken = default) =>
        Yield(Jobs.Select(j => j.Id), cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<string> GetAllArtifactPathsAsync(CancellationToken cancellationToken = default) =>
        Yield(Jobs.SelectMany(j => j.Artifacts).Select(a => a.Path), cancellationToken);

    /// <inheritdoc />
    ValueTask<JobRecord?> IJobLookupStore.FindJobAsync(string jobId, CancellationToken cancellationToken) => ValueTask.FromResult(Find(jobId));

    /// <inheritdoc />
    public async IAsyncEnumerable<JobRecord> GetStaleJobsAsync(StaleJobQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        JobRecord[] stale;
        lock (_gate)
        {
            stale = _jobs.Values.Where(query.Matches).OrderBy(j => j.StartedAt ?? j.CreatedAt).ThenBy(j => j.Id, StringComparer.Ordinal).ToArray();
        }

        await Task.Yield();
        foreach (var job in stale)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return job;
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> TryFailJobAsync(JobFailure failure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(failure);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_jobs.TryGetValue(failure.JobId, out var job) || job.Status != failure.ExpectedStatus)
            {
                return ValueTask.FromResult(false);
            }

            _jobs[failure.JobId] = job with { Status = JobStatus.Failed, ErrorMessage = failure.ErrorMessage, CompletedAt = failure.CompletedAt };
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask RecordRunAsync(CleanupReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _runs.Add(CleanupRunRecord.From(report));
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>This store keeps no audit rows: only recorded runs are trimmed.</remarks>
    public ValueTask<RecordsTrimmed> TrimRecordsAsync(DateTimeOffset auditBefore, DateTimeOffset runsBefore, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(new RecordsTrimmed(0, _runs.RemoveAll(r => r.StartedAt < runsBefore)));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<CleanupRunRecord>> GetRunsAsync(CleanupRunQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlyList<CleanupRunRecord> page = _runs
                .Where(r => IsBefore(r, query) && (query.Trigger is null || r.Trigger == query.Trigger))
                .OrderByDescending(r => r.StartedAt)
                .ThenByDescending(r => r.RunId, StringComparer.Ordinal)
                .Take(query.Limit)
                .ToArray();
            return ValueTask.FromResult(page);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StorageUsage>> GetStorageUsageAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlyList<StorageUsage> usage = _jobs.Values
                .Where(j => j.DataCleanedAt is null)
                .GroupBy(j => j.Status.ToWord())
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new StorageUsage(g.Key, g.Count(), g.Sum(j => j.Artifacts.Sum(a => a.SizeBytes ?? 0))))
                .ToArray();
            return ValueTask.FromResult(usage);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ArtifactUsage>> GetArtifactUsageAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlyList<ArtifactUsage> usage = _jobs.Values
                .Where(j => j.DataCleanedAt is null)
                .SelectMany(j => j.Artifacts)
                .GroupBy(a => a.Kind)
                .OrderBy(g => g.Key.Name, StringComparer.Ordinal)
                .Select(g => new ArtifactUsage(g.Key, g.Count(), g.Sum(a => a.SizeBytes ?? 0)))
                .ToArray();
            return ValueTask.FromResult(usage);
        }
    }

    /// <inheritdoc />
    public ValueTask AddHoldAsync(JobHold hold, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hold);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (hold.JobId is null || !_jobs.TryGetValue(hold.JobId, out var job))
            {
                throw new ArgumentException($"There is no job '{hold.JobId}' to hold.", nameof(hold));
            }

            _jobs[job.Id] = job with { Holds = [.. job.Holds, hold] };
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<JobHold>> GetHoldsAsync(string? jobId, DateTimeOffset inForceAt, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlyList<JobHold> holds = _jobs.Values
                .Where(j => jobId is null || j.Id == jobId)
                .OrderBy(j => j.Id, StringComparer.Ordinal)
                .SelectMany(j => j.Holds.Where(h => h.IsInForceAt(inForceAt)).OrderBy(h => h.CreatedAt).Select(h => h with { JobId = j.Id }))
                .ToArray();
            return ValueTask.FromResult(holds);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<JobHold>> GetHoldsOfJobsAsync(IReadOnlyCollection<string> jobIds, DateTimeOffset inForceAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobIds);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlyList<JobHold> holds = jobIds
                .Select(id => _jobs.GetValueOrDefault(id))
                .OfType<JobRecord>()
                .SelectMany(j => j.Holds.Where(h => h.IsInForceAt(inForceAt)).Select(h => h with { JobId = j.Id }))
                .ToArray();
            return ValueTask.FromResult(holds);
        }
    }

    /// <inheritdoc />
    public ValueTask<JobHold?> ReleaseHoldAsync(string holdId, string releasedBy, DateTimeOffset releasedAt, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            foreach (var job in _jobs.Values)
            {
                if (job.Holds.FirstOrDefault(h => h.Id == holdId) is { } hold)
                {
                    _jobs[job.Id] = job with { Holds = job.Holds.Where(h => h.Id != holdId).ToArray() };
                    return ValueTask.FromResult<JobHold?>(hold with { JobId = job.Id });
                }
            }
        }

        return ValueTask.FromResult<JobHold?>(null);
    }

    // Keyset order: start time, then run id, both descending.
    private static bool IsBefore(CleanupRunRecord run, CleanupRunQuery query) =>
        query.StartedBefore is not { } before
        || run.StartedAt < before
        || (run.StartedAt == before && query.BeforeRunId is { } id && string.CompareOrdinal(run.RunId, id) < 0);

    private static async IAsyncEnumerable<T> Yield<T>(IEnumerable<T> items, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        foreach (var item in items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return item;
        }
    }
}
