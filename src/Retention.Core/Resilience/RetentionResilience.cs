using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Retention.Diagnostics;

namespace Retention.Resilience;

/// <summary>The default pipeline for transient failures, and the predicate that says what is transient.</summary>
public static class RetentionResilience
{
    /// <summary>
    /// Whether <paramref name="exception"/> is worth retrying: <see cref="TransientRetentionException"/>, <see cref="TimeoutException"/>,
    /// or an I/O error other than a missing path (a busy file). Permission errors are never retried.
    /// </summary>
    /// <param name="exception">The error.</param>
    /// <returns><see langword="true"/> when a retry may succeed.</returns>
    public static bool IsTransient(Exception exception) => exception switch
    {
        TransientRetentionException or TimeoutException => true,
        FileNotFoundException or DirectoryNotFoundException or PathTooLongException => false,
        IOException => true,
        _ => false,
    };

    /// <summary>Builds the default pipeline: 3 retries of transient failures, exponential back-off from 200 ms with jitter.</summary>
    /// <param name="timeProvider">The clock the delays run on.</param>
    /// <returns>The pipeline.</returns>
    public static ResiliencePipeline CreateDefaultPipeline(TimeProvider? timeProvider = null) => CreateDefaultPipeline(timeProvider, null);

    internal static ResiliencePipeline CreateDefaultPipeline(TimeProvider? timeProvider, ILogger? logger)
    {
        var builder = new ResiliencePipelineBuilder();
        if (timeProvider is not null)
        {
            builder.TimeProvider = timeProvider;
        }

        return builder.AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
            MaxRetryAttempts = JobCleanupDefaults.RetryAttempts,
            Delay = JobCleanupDefaults.RetryDelay,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            OnRetry = args =>
            {
                if (logger is not null)
                {
                    Log.Retrying(logger, args.Context.OperationKey ?? "operation", args.AttemptNumber + 1, args.Outcome.Exception?.Message);
                }

                return default;
            },
        }).Build();
    }
}
