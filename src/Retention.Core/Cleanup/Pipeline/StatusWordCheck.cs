using Retention.Diagnostics;
using Retention.Stores;

namespace Retention.Cleanup.Pipeline;

/// <summary>
/// Finds the store's status words that no status is mapped to, says so in the log and keeps them in the status snapshot:
/// their jobs are never cleaned, and that must never be quiet.
/// </summary>
internal static class StatusWordCheck
{
    public static async Task<IReadOnlyList<UnmappedStatusWord>> RunAsync(CleanupEngine engine, CancellationToken cancellationToken)
    {
        if (engine.Stores.StatusWords is not { } store)
        {
            return [];
        }

        // Through the resilience pipeline, as every store call of a run: a connection dropped once must not fail the run here.
        IReadOnlyList<UnmappedStatusWord> unmapped = [];
        await engine.ExecuteAsync("check status words", async _ => unmapped = await store.GetUnmappedStatusWordsAsync(cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        foreach (var word in unmapped)
        {
            Log.UnmappedStatusWord(engine.Logger, word.Jobs, word.Word, store.StatusNamesKey);
        }

        engine.Status.StatusWordsChecked(unmapped);
        return unmapped;
    }
}
