namespace Retention.Cli;

/// <summary>A user's mistake: a bad flag, variable, file or path. Printed as one line; exit code 2; nothing changed.</summary>
internal sealed class UsageException(string message) : Exception(message);
