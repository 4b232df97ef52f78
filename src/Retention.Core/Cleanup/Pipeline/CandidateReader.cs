using System.Threading.Channels;

namespace Retention.Cleanup.Pipeline;

/// <summary>The store's candidate stream in batches, a batch or two ahead of the engine.</summary>
internal static class CandidateReader
{
    /// <summary>Writes the stream to <paramref name="writer"/> in batches; the channel completes with the stream's error, if any.</summary>
    public static async Task ReadAsync(Func<CancellationToken, IAsyncEnumerable<JobRecord>> candidates, int batchSize, ChannelWriter<List<JobRecord>> writer, CancellationToken cancellationToken)
    {
        await Task.Yield();
        Exception? error = null;
        try
        {
            var batch = new List<JobRecord>(batchSize);
            await foreach (var job in candidates(cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                batch.Add(job);
                if (batch.Count >= batchSize)
                {
                    await writer.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
                    batch = new List<JobRecord>(batchSize);
                }
            }

            if (batch.Count > 0)
            {
                await writer.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            error = ex;
            throw;
        }
        finally
        {
            writer.TryComplete(error is OperationCanceledException ? null : error);
        }
    }

    /// <summary>The reader's end once the engine has stopped for its own reason: its cancellation is expected, not an error.</summary>
    public static async Task ObserveAsync(Task reader)
    {
        try
        {
            await reader.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Already surfaced through the channel, or a cancellation this method's caller asked for.
        }
    }
}
