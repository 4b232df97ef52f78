namespace Retention.Stores;

/// <summary>
/// The jobs table and its column names, as a database store maps them onto a host's own table. The defaults are the
/// default <c>jobs.db</c>: <c>jobs(id, status, job_type, created_at, started_at, completed_at, error_message, data_cleaned_at, data_size_mb)</c>.
/// </summary>
public class JobsTableColumns
{
    /// <summary>The jobs table. Default: <c>jobs</c>.</summary>
    public string Table { get; set; } = "jobs";

    /// <summary>The id column. Default: <c>id</c>.</summary>
    public string Id { get; set; } = "id";

    /// <summary>The status column. Default: <c>status</c>.</summary>
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

    /// <summary>Every name, with its option key (<c>Jobs:Table</c>, ...) and whether it may be empty, for validation.</summary>
    /// <returns>The names.</returns>
    public IEnumerable<(string Option, string? Name, bool Optional)> Names()
    {
        yield return ("Jobs:Table", Table, false);
        yield return ("Jobs:Id", Id, false);
        yield return ("Jobs:Status", Status, false);
        yield return ("Jobs:JobType", JobType, true);
        yield return ("Jobs:CreatedAt", CreatedAt, false);
        yield return ("Jobs:StartedAt", StartedAt, false);
        yield return ("Jobs:CompletedAt", CompletedAt, false);
        yield return ("Jobs:ErrorMessage", ErrorMessage, false);
        yield return ("Jobs:DataCleanedAt", DataCleanedAt, false);
        yield return ("Jobs:DataSizeMb", DataSizeMb, false);
    }
}
