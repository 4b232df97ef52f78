namespace Retention;

/// <summary>
/// A failure worth retrying: a locked database, a file briefly in use. The default resilience pipeline retries it;
/// a store throws (or wraps its own error in) this exception to ask for a retry.
/// </summary>
public class TransientRetentionException : RetentionException
{
    /// <summary>Creates the exception.</summary>
    public TransientRetentionException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What failed.</param>
    public TransientRetentionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public TransientRetentionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
