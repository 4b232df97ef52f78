using Npgsql;
using Retention.PostgreSql;

namespace Retention.Cli;

/// <summary>
/// Opening the PostgreSQL store at start-up, through the transient errors a server gives while it restarts, fails over or
/// is full: retried a few times, and, if they persist, named for what they are rather than taken for an unreachable server.
/// </summary>
internal static class PostgresStartup
{
    // Four attempts with pauses of 1, 2 and 4 s.
    private const int Attempts = 4;

    private static readonly TimeSpan FirstPause = TimeSpan.FromSeconds(1);

    public static async Task InitializeAsync(PostgresJobStore store, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (attempt < Attempts && ServerError(ex) is not null)
            {
                await Task.Delay(FirstPause * (1 << (attempt - 1)), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// The server's own error when it answered with one a retry may resolve: a session ended (57P01 administrator command,
    /// 57P02 crash shutdown), a server starting up or shutting down (57P03), too many connections (53300), a connection
    /// error it reported (08xxx). A refused login or a missing database is not one of them, nor a server that never answered.
    /// </summary>
    public static PostgresException? ServerError(Exception exception)
    {
        var postgres = exception as PostgresException ?? exception.InnerException as PostgresException;
        return postgres?.SqlState switch
        {
            PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections => postgres,
            { } state when state.StartsWith("08", StringComparison.Ordinal) => postgres,
            _ => null,
        };
    }

    /// <summary>What the server did, in a sentence naming its code.</summary>
    public static string Describe(PostgresException error) => error.SqlState switch
    {
        PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown => $"the PostgreSQL server ended the connection ({error.SqlState}: {error.MessageText}) at each of {Attempts} attempts.",
        PostgresErrorCodes.CannotConnectNow => $"the PostgreSQL server is starting up or shutting down ({error.SqlState}: {error.MessageText}) at each of {Attempts} attempts.",
        PostgresErrorCodes.TooManyConnections => $"the PostgreSQL server has too many connections ({error.SqlState}: {error.MessageText}) at each of {Attempts} attempts.",
        _ => $"the PostgreSQL server reported a connection error ({error.SqlState}: {error.MessageText}) at each of {Attempts} attempts.",
    };
}
