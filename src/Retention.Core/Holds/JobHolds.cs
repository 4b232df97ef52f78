using Retention.Stores;

namespace Retention.Holds;

/// <summary>Checks hold requests against the job they name, then hands them to the store.</summary>
internal sealed class JobHolds(IJobStore jobs, IJobHoldStore? holds, IJobLookupStore? lookup, TimeProvider time) : IJobHolds
{
    public async Task<JobHold> AddAsync(string jobId, string owner, string reason, DateTimeOffset? until = null, CancellationToken cancellationToken = default)
    {
        var store = Store();
        var now = time.GetUtcNow();
        Refuse(string.IsNullOrWhiteSpace(jobId), "A hold needs a job id.");
        Refuse(string.IsNullOrWhiteSpace(owner), $"A hold on job '{jobId}' needs an owner (who places it).");
        Refuse(string.IsNullOrWhiteSpace(reason), $"A hold on job '{jobId}' needs a reason, so a colleague knows later why the data is kept.");
        Refuse(until is { } end && end <= now, $"The hold's end {until:u} is not in the future (now {now:u}); give a later time, or none to hold until released.");
        if (lookup is null)
        {
            throw new RetentionConfigurationException($"The store ({jobs.GetType().Name}) cannot find a job by id ({nameof(IJobLookupStore)}), so a hold's job cannot be checked.");
        }

        var job = await lookup.FindJobAsync(jobId, cancellationToken).ConfigureAwait(false);
        Refuse(job is null, $"There is no job '{jobId}'.");
        Refuse(job!.DataCleanedAt is not null, $"Job '{jobId}' was cleaned at {job.DataCleanedAt:u}: its data is already gone, so there is nothing to hold.");
        var hold = new JobHold(owner.Trim(), reason.Trim(), until) { JobId = job.Id, CreatedAt = now };
        await store.AddHoldAsync(hold, cancellationToken).ConfigureAwait(false);
        return hold;
    }

    public async Task<IReadOnlyList<JobHold>> ListAsync(string? jobId = null, CancellationToken cancellationToken = default) =>
        await Store().GetHoldsAsync(jobId, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);

    public async Task<JobHold> ReleaseAsync(string holdId, string releasedBy, CancellationToken cancellationToken = default)
    {
        var store = Store();
        Refuse(string.IsNullOrWhiteSpace(holdId), "A release needs the hold's id (retention hold list shows them).");
        Refuse(string.IsNullOrWhiteSpace(releasedBy), $"Releasing hold '{holdId}' needs who releases it.");
        return await store.ReleaseHoldAsync(holdId, releasedBy.Trim(), time.GetUtcNow(), cancellationToken).ConfigureAwait(false)
            ?? throw new JobHoldRefusedException($"There is no hold '{holdId}' (it may have been released already).") { HoldNotFound = true };
    }

    private IJobHoldStore Store() => holds ?? throw new RetentionConfigurationException(
        $"The store ({jobs.GetType().Name}) keeps no holds: it does not implement {nameof(IJobHoldStore)}. The SQLite, PostgreSQL and in-memory stores do.");

    private static void Refuse(bool refused, string message)
    {
        if (refused)
        {
            throw new JobHoldRefusedException(message);
        }
    }
}
