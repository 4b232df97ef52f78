using System.Globalization;
using System.Runtime.CompilerServices;

namespace Retention.Sqlite;

/// <summary>Single jobs: upserts, lookups, and the ids and paths the orphan sweep compares with.</summary>
public sealed partial class SqliteJobStore
{
    /// <summary>Adds or replaces a job and its artifacts (samples, tests, and hosts that let the store own their jobs).</summary>
    /// <param name="job">The job; its <see cref="JobRecord.Artifacts"/> replace the stored ones.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the job is stored.</returns>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "One job or many; the optional parameter is only the cancellation token, and the first parameters differ in type.")]
    public Task UpsertAsync(JobRecord job, CancellationToken cancellationToken = default) => UpsertAsync([job], cancellationToken);

    /// <summary>Adds or replaces jobs and their artifacts in one transaction.</summary>
    /// <param name="jobs">The jobs.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the jobs are stored.</returns>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "One job or many; the optional parameter is only the cancellation token, and the first parameters differ in type.")]
    public async Task UpsertAsync(IEnumerable<JobRecord> jobs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var s = _schema;
        await WriteAsync(
            async (connection, transaction) =>
            {
                await using var upsert = Command(connection, transaction, $"""
                    INSERT OR REPLACE INTO {s.Jobs} ({s.Id}, {s.Status}, {(s.JobType is null ? string.Empty : s.JobType + ", ")}{s.CreatedAt}, {s.StartedAt}, {s.CompletedAt}, {s.ErrorMessage}, {s.DataCleanedAt}, {s.DataSizeMb})
                    VALUES (@id, @status, {(s.JobType is null ? string.Empty : "@type, ")}@created, @started, @completed, @error, @cleaned, @mb)
                    """);
                await using var clear = Command(connection, transaction, $"DELETE FROM {s.Artifacts} WHERE job_id = @id");
                await using var artifact = Command(connection, transaction, $"INSERT OR REPLACE INTO {s.Artifacts} (job_id, kind, path, size_bytes) VALUES (@id, @kind, @path, @size)");
                foreach (var job in jobs)
                {
                    var mb = job.Artifacts.Sum(a => a.SizeBytes ?? 0) / 1048576.0;
                    Set(upsert, ("@id", job.Id), ("@status", s.NameOf(job.Status)), ("@type", (object?)job.JobType ?? DBNull.Value), ("@created", SqliteTime.Write(job.CreatedAt)),
                        ("@started", SqliteTime.Write(job.StartedAt)), ("@completed", SqliteTime.Write(job.CompletedAt)), ("@error", (object?)job.ErrorMessage ?? DBNull.Value),
                        ("@cleaned", SqliteTime.Write(job.DataCleanedAt)), ("@mb", mb > 0 ? Math.Round(mb, 3) : DBNull.Value));
                    await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    Set(clear, ("@id", job.Id));
                    await clear.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    foreach (var a in job.Artifacts)
                    {
                        Set(artifact, ("@id", job.Id), ("@kind", a.Kind.Name), ("@path", a.Path), ("@size", (object?)a.SizeBytes ?? DBNull.Value));
                        await artifact.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<JobRecord?> FindJobAsync(string jobId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var s = _schema;
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {s.JobColumns}, NULL FROM {s.Jobs} WHERE {s.Id} = @id";
        command.Parameters.AddWithValue("@id", jobId);
        JobRecord? job = null;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                job = ReadJob(reader);
            }
        }

        return job is null ? null : (await WithHoldsAsync(connection, await WithArtifactsAsync(connection, [job], cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false))[0];
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<string> GetAllJobIdsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var id in StreamColumnAsync($"SELECT {_schema.Id} FROM {_schema.Jobs} @@after@@ ORDER BY {_schema.Id} LIMIT 5000", _schema.Id, cancellationToken).ConfigureAwait(false))
        {
            yield return id;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<string> GetAllArtifactPathsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        if (!_hasArtifactsTable)
        {
            yield break;
        }

        await foreach (var path in StreamColumnAsync($"SELECT path FROM {_schema.Artifacts} @@after@@ ORDER BY path LIMIT 5000", "path", cancellationToken).ConfigureAwait(false))
        {
            yield return path;
        }
    }

    // Keyset pages of one text column: the query takes @after and returns the column in order, a page at a time.
    private async IAsyncEnumerable<string> StreamColumnAsync(string sql, string column, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        object? after = null;
        while (true)
        {
            var page = new List<string>();
            object? last = null;
            await using (var connection = await OpenAsync(cancellationToken).ConfigureAwait(false))
            {
                await using var command = connection.CreateCommand();
                command.CommandText = sql.Replace("@@after@@", after is null ? string.Empty : $"WHERE {column} > @after", StringComparison.Ordinal);
                if (after is not null)
                {
                    command.Parameters.AddWithValue("@after", after);
                }

                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    last = reader.GetValue(0);
                    page.Add(Convert.ToString(last, CultureInfo.InvariantCulture)!);
                }
            }

            foreach (var value in page)
            {
                yield return value;
            }

            if (last is null || page.Count < 5000)
            {
                yield break;
            }

            after = last;
        }
    }
}
