namespace Retention;

/// <summary>The base type of every exception the library throws on purpose.</summary>
public class RetentionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RetentionException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong and what to do instead.</param>
    public RetentionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What went wrong and what to do instead.</param>
    /// <param name="innerException">The cause.</param>
    public RetentionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
