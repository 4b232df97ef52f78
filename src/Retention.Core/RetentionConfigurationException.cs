namespace Retention;

/// <summary>The configuration cannot work: a bad root, a missing store, an invalid rule. The message names the key and the value.</summary>
public class RetentionConfigurationException : RetentionException
{
    /// <summary>Creates the exception.</summary>
    public RetentionConfigurationException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong and what to do instead.</param>
    public RetentionConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What is wrong and what to do instead.</param>
    /// <param name="innerException">The cause.</param>
    public RetentionConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
