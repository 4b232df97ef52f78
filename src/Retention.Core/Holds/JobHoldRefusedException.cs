namespace Retention.Holds;

/// <summary>A hold request that was refused (an unknown job, data already gone, an empty reason, an end in the past); nothing was stored.</summary>
public sealed class JobHoldRefusedException : RetentionException
{
    /// <summary>Creates the exception.</summary>
    public JobHoldRefusedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong with the request.</param>
    public JobHoldRefusedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What is wrong with the request.</param>
    /// <param name="innerException">The cause.</param>
    public JobHoldRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Whether the request named a hold that does not exist (an HTTP endpoint answers 404 rather than 400).</summary>
    public bool HoldNotFound { get; init; }
}
