using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Retention.Diagnostics;

namespace Retention.Cleanup.Pipeline;

/// <summary>The store's candidate stream in batches, a batch or two ahead of the engine.</summary>
internal static class CandidateReader
{
    /// <summary>Writes the stream to <paramref name="writer"/> in batches; the channel completes with the stream's error, if any.</summary>
    public static async Task ReadAsync(Func<CancellationToken, IAsyncEnumerable<JobRecord>> candidates, int batchSize, ChannelWriter<List<JobRecord>> writer, ILogger logger, CancellationToken cancellationToken)
    {
        await Task.Yield();
        Exception? error = null;
        try
        {
            // Debug output times each batch's reading: the store's query, not the engine's wait for the channel.
            var timed = logger.IsEnabled(LogLevel.Debug);
            var started = Stopwatch.GetTimestamp();
            var batch = new List<JobRecord>(batchSize);
            await foreach (var job in candidates(cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                batch.Add(job);
                if (batch.Count >= batchSize)
                {
                    LogRead(batch.Count);
                    await writer.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
                    batch = new List<JobRecord>(batchSize);
                    started = Stopwatch.GetTimestamp();
                }
            }

            if (batch.Count > 0)
            {
                LogRead(batch.Count);
                await writer.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
            }

            void LogRead(int count)
            {
                if (timed)
                {
                    Log.CandidatesRead(logger, count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
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
