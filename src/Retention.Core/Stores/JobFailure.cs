namespace Retention.Stores;

/// <summary>A compare-and-set request to fail a stuck job.</summary>
/// <param name="JobId">The job.</param>
/// <param name="ExpectedStatus">The status the job was seen in; if it has changed, the job is left alone.</param>
/// <param name="ErrorMessage">The error message to record.</param>
/// <param name="CompletedAt">The completion time to record (UTC).</param>
public sealed record JobFailure(string JobId, JobStatus ExpectedStatus, string ErrorMessage, DateTimeOffset CompletedAt);
