// The PostgreSQL mode of the dataset: the rows of a generated jobs.db copied into a PostgreSQL database whose schema the
// PostgreSQL store created itself, so `retention clean --postgres` and the floor's psql see the same million jobs as the
// SQLite benchmark (same ids, statuses and times; the files on disk are shared by both modes).
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using Retention.PostgreSql;

internal static class PostgresCopy
{
    public static async Task<int> RunAsync(string dir, string connectionString)
    {
        using (var store = new PostgresJobStore(new PostgresJobStoreOptions { ConnectionString = connectionString }))
        {
            await store.InitializeAsync();
        }

        await using var source = new SqliteConnection($"Data Source={Path.Combine(dir, "jobs.db")};Mode=ReadOnly;Pooling=False");
        await source.OpenAsync();
        await using var target = new NpgsqlConnection(connectionString);
        await target.OpenAsync();
        await using (var truncate = new NpgsqlCommand("TRUNCATE retention.jobs", target))
        {
            await truncate.ExecuteNonQueryAsync();
        }

        await using var read = source.CreateCommand();
        read.CommandText = "SELECT id, status, job_type, created_at, started_at, completed_at, data_size_mb FROM jobs ORDER BY id";
        await using var rows = await read.ExecuteReaderAsync();
        long copied = 0;
        await using (var writer = await target.BeginBinaryImportAsync("COPY retention.jobs (id, status, job_type, created_at, started_at, completed_at, data_size_mb) FROM STDIN (FORMAT BINARY)"))
        {
            while (await rows.ReadAsync())
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(rows.GetString(0), NpgsqlDbType.Text);
                await writer.WriteAsync(rows.GetString(1), NpgsqlDbType.Text);
                await writer.WriteAsync(rows.GetString(2), NpgsqlDbType.Text);
                for (var column = 3; column <= 5; column++)
                {
                    if (rows.IsDBNull(column))
                    {
                        await writer.WriteNullAsync();
                    }
                    else
                    {
                        var utc = DateTime.Parse(rows.GetString(column), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
                        await writer.WriteAsync(utc, NpgsqlDbType.TimestampTz);
                    }
                }

                if (rows.IsDBNull(6))
                {
                    await writer.WriteNullAsync();
                }
                else
                {
                    await writer.WriteAsync(rows.GetDouble(6), NpgsqlDbType.Double);
                }

                copied++;
            }

            await writer.CompleteAsync();
        }

        await using (var analyze = new NpgsqlCommand("VACUUM ANALYZE retention.jobs", target))
        {
            await analyze.ExecuteNonQueryAsync();
        }

        Console.WriteLine($"{copied} jobs copied into PostgreSQL ({target.Database})");
        return 0;
    }
}
