namespace Retention.Stores.Sql;

/// <summary>
/// The host's jobs table as the SQL stores write it: each mapped column quoted once (<c>"name"</c>, which SQLite and
/// PostgreSQL both read), and the columns that must exist, by option name, for the error that names a missing one. The
/// SQLite and PostgreSQL schemas both start from this one list.
/// </summary>
internal abstract class JobsTableNames
{
    protected JobsTableNames(JobsTableColumns jobs)
    {
        Id = Quote(jobs.Id);
        Status = Quote(jobs.Status);
        JobType = string.IsNullOrWhiteSpace(jobs.JobType) ? null : Quote(jobs.JobType);
        CreatedAt = Quote(jobs.CreatedAt);
        StartedAt = Quote(jobs.StartedAt);
        CompletedAt = Quote(jobs.CompletedAt);
        ErrorMessage = Quote(jobs.ErrorMessage);
        DataCleanedAt = Quote(jobs.DataCleanedAt);
        DataSizeMb = Quote(jobs.DataSizeMb);
        RawJobsTable = jobs.Table;
        RawDataCleanedAt = jobs.DataCleanedAt;
        RawDataSizeMb = jobs.DataSizeMb;
        var required = new Dictionary<string, string>
        {
            [nameof(JobsTableColumns.Id)] = jobs.Id,
            [nameof(JobsTableColumns.Status)] = jobs.Status,
            [nameof(JobsTableColumns.CreatedAt)] = jobs.CreatedAt,
            [nameof(JobsTableColumns.StartedAt)] = jobs.StartedAt,
            [nameof(JobsTableColumns.CompletedAt)] = jobs.CompletedAt,
            [nameof(JobsTableColumns.ErrorMessage)] = jobs.ErrorMessage,
        };
        if (JobType is not null)
        {
            required[nameof(JobsTableColumns.JobType)] = jobs.JobType!;
        }

        RequiredColumns = required;
    }

    public string Id { get; }

    public string Status { get; }

    public string? JobType { get; }

    public string CreatedAt { get; }

    public string StartedAt { get; }

    public string CompletedAt { get; }

    public string ErrorMessage { get; }

    /// <summary>The column the store adds to a host's table when it is missing, quoted.</summary>
    public string DataCleanedAt { get; }

    /// <summary>The column the store adds to a host's table when it is missing, quoted.</summary>
    public string DataSizeMb { get; }

    public string RawJobsTable { get; }

    public string RawDataCleanedAt { get; }

    public string RawDataSizeMb { get; }

    /// <summary>The mapped columns that must exist in the host's table, by option name (<c>Id</c>, <c>Status</c>, ...).</summary>
    public IReadOnlyDictionary<string, string> RequiredColumns { get; }

    /// <summary>An identifier as SQL text; names are validated before they get here, so quoting cannot be escaped.</summary>
    protected static string Quote(string name) => "\"" + name + "\"";
}
