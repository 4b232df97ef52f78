namespace Retention.Reaping;

/// <summary>A stuck job that was marked failed.</summary>
/// <param name="JobId">The job.</param>
/// <param name="JobType">Its type, if any.</param>
/// <param name="PreviousStatus">The status it was stuck in.</param>
/// <param name="Runtime">How long it had been running (or waiting) when it was failed.</param>
/// <param name="ErrorMessage">The error message recorded on the job.</param>
public sealed record ReapedJob(string JobId, string? JobType, JobStatus PreviousStatus, TimeSpan Runtime, string ErrorMessage);
