namespace Retention.PostgreSql;

/// <summary>Where the store finds jobs: the table and column names, defaulting to the store's own <c>jobs</c> table in the seed's layout.</summary>
public sealed class PostgresJobsTableOptions
{
    /// <summary>The jobs table's schema; empty for the store's own <see cref="PostgresJobStoreOptions.Schema"/>.</summary>
    public string? Schema { get; set; }

    /// <summary>The jobs table. Default: <c>jobs</c>. When it does not exist and is the store's own, it is created.</summary>
    public string Table { get; set; } = "jobs";

    /// <summary>The id column (text, integer or uuid). Default: <c>id</c>.</summary>
    public string Id { get; set; } = "id";

    /// <summary>The status column (text or an enum). Default: <c>status</c>.</summary>
    public string Status { get; set; } = "status";

    /// <summary>The job type column, or empty when the table has none. Default: <c>job_type</c>.</summary>
    public string? JobType { get; set; } = "job_type";

    /// <summary>The creation time column. Default: <c>created_at</c>.</summary>
    public string CreatedAt { get; set; } = "created_at";

    /// <summary>The start time column. Default: <c>started_at</c>.</summary>
    public string StartedAt { get; set; } = "started_at";

    /// <summary>The completion time column. Default: <c>completed_at</c>.</summary>
    public string CompletedAt { get; set; } = "completed_at";

    /// <summary>The error message column. Default: <c>error_message</c>.</summary>
    public string ErrorMessage { get; set; } = "error_message";

    /// <summary>The data-cleaned time column; added when missing. Default: <c>data_cleaned_at</c>.</summary>
    public string DataCleanedAt { get; set; } = "data_cleaned_at";

    /// <summary>The data size column (megabytes), set to the space freed when a job is cleaned; added when missing. Default: <c>data_size_mb</c>.</summary>
    public string DataSizeMb { get; set; } = "data_size_mb";
}
