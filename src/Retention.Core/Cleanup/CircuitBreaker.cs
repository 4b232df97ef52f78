namespace Retention.Cleanup;

/// <summary>One run's count against <see cref="CircuitBreakerOptions"/>: jobs started and bytes freed, shared by the parallel deletions.</summary>
internal sealed class CircuitBreaker(CircuitBreakerOptions? options)
{
    private int? _maxJobs = options?.MaxJobsPerRun;
    private string? _maxJobsReason;
    private readonly long? _maxBytes = options?.MaxBytesPerRun;
    private int _jobs;
    private long _bytes;
    private volatile string? _tripped;

    /// <summary>
    /// A limit on jobs worked out when the run starts (from the run history or the store's size); the lowest limit wins.
    /// Called before the run's first job.
    /// </summary>
    public void LimitJobs(int limit, string reason)
    {
        if (_maxJobs is null || limit < _maxJobs)
        {
            _maxJobs = limit;
            _maxJobsReason = reason;
        }
    }

    /// <summary>Counts a job about to be deleted; <see langword="false"/> when a limit is already reached, so it is left alone.</summary>
    public bool TryStartJob()
    {
        if (_tripped is not null)
        {
            return false;
        }

        if (_maxJobs is { } max && Interlocked.Increment(ref _jobs) > max)
        {
            _tripped ??= _maxJobsReason ?? $"Circuit breaker: this run reached JobCleanup:CircuitBreaker:MaxJobsPerRun ({max} jobs) and stopped; the rest waits for the next run. Raise the limit if this many deletions are expected.";
            return false;
        }

        return true;
    }

    /// <summary>Counts bytes a job freed; reaching the byte limit stops the run before its next job.</summary>
    public void Freed(long bytes)
    {
        if (_maxBytes is { } max && Interlocked.Add(ref _bytes, bytes) >= max)
        {
            _tripped ??= $"Circuit breaker: this run reached JobCleanup:CircuitBreaker:MaxBytesPerRun ({ByteSize.Format(max)}) and stopped; the rest waits for the next run. Raise the limit if this much deletion is expected.";
        }
    }

    /// <summary>Ends the run, between batches, once a limit is reached.</summary>
    public void ThrowIfTripped()
    {
        if (_tripped is { } reason)
        {
            throw new CircuitBreakerTrippedException(reason);
        }
    }
}

/// <summary>Stops a run whose circuit breaker tripped; the engine turns it into <see cref="CleanupOutcome.LimitReached"/>.</summary>
internal sealed class CircuitBreakerTrippedException(string message) : Exception(message);
