namespace Retention.Stores;

/// <summary>
/// An optional store capability for stores that several instances share. When a run streams candidates with
/// <see cref="CleanupCandidateQuery.ClaimOwner"/> set, the store claims each job it returns for that owner, so no other
/// run streams it while the claim lasts; the engine confirms each job's claim just before deleting its files, and releases
/// the run's claims at the end.
/// </summary>
public interface IJobClaimStore
{
    /// <summary>
    /// Which of <paramref name="jobs"/> are still claimed by <paramref name="owner"/> and unchanged since they were read:
    /// same status and <see cref="JobRecord.Version"/>, data not cleaned. The engine deletes only these.
    /// </summary>
    /// <param name="owner">The run that claimed them.</param>
    /// <param name="jobs">The jobs as they were streamed.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The ids of the jobs that may be deleted.</returns>
    ValueTask<IReadOnlySet<string>> ConfirmClaimsAsync(string owner, IReadOnlyList<JobRecord> jobs, CancellationToken cancellationToken = default);

    /// <summary>
    /// Releases the claims <paramref name="owner"/> holds on <paramref name="jobIds"/> at once: jobs the run streamed but
    /// leaves alone (not due yet by a rule the store's filter cannot apply, protected), so other runs need not wait for it.
    /// </summary>
    /// <param name="owner">The run.</param>
    /// <param name="jobIds">The jobs it leaves alone.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when those claims are gone.</returns>
    ValueTask ReleaseJobClaimsAsync(string owner, IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken = default);

    /// <summary>Releases every claim <paramref name="owner"/> still holds (jobs it skipped, failed on or did not reach).</summary>
    /// <param name="owner">The run.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the claims are gone.</returns>
    ValueTask ReleaseClaimsAsync(string owner, CancellationToken cancellationToken = default);
}
