using System.Text;
using System.Text.Json;
using Retention.Stores;

namespace Retention.Sqlite;

/// <summary>
/// A batch of jobs to record cleaned, grouped for the set-based mark: one group per status, time and user (a run has one
/// time and one user, so a batch has a group or two), each with its ids as one JSON array for <c>json_each</c>.
/// </summary>
internal sealed record MarkBatch(string Status, string CleanedAt, string CleanedBy, string Ids, int IdCount, string Sized, int SizedCount)
{
    /// <summary>Groups <paramref name="jobs"/>: <see cref="Ids"/> holds <c>["id", ...]</c> of those that freed nothing (<see cref="IdCount"/> of them), <see cref="Sized"/> <c>[["id", mb], ...]</c> of the rest (<see cref="SizedCount"/>).</summary>
    public static List<MarkBatch> Group(IReadOnlyList<JobDataCleaned> jobs, SqliteSchema schema)
    {
        var groups = new List<MarkBatch>();
        foreach (var group in jobs.GroupBy(j => (j.ExpectedStatus, j.CleanedAt, User: j.CleanedBy ?? "auto_cleanup")))
        {
            using var ids = new Json();
            using var sized = new Json();
            int idCount = 0, sizedCount = 0;
            foreach (var job in group)
            {
                var mb = Math.Round(job.BytesFreed / 1048576.0, 3);
                if (mb > 0)
                {
                    sized.Writer.WriteStartArray();
                    sized.Writer.WriteStringValue(job.JobId);
                    sized.Writer.WriteNumberValue(mb);
                    sized.Writer.WriteEndArray();
                    sizedCount++;
                }
                else
                {
                    ids.Writer.WriteStringValue(job.JobId);
                    idCount++;
                }
            }

            groups.Add(new MarkBatch(schema.NameOf(group.Key.ExpectedStatus), SqliteTime.Write(group.Key.CleanedAt), group.Key.User, ids.Finish(), idCount, sized.Finish(), sizedCount));
        }

        return groups;
    }

    /// <summary>A JSON array being written.</summary>
    private sealed class Json : IDisposable
    {
        private readonly MemoryStream _buffer = new();

        public Json()
        {
            Writer = new Utf8JsonWriter(_buffer);
            Writer.WriteStartArray();
        }

        public Utf8JsonWriter Writer { get; }

        public string Finish()
        {
            Writer.WriteEndArray();
            Writer.Flush();
            return Encoding.UTF8.GetString(_buffer.GetBuffer(), 0, (int)_buffer.Length);
        }

        public void Dispose()
        {
            Writer.Dispose();
            _buffer.Dispose();
        }
    }
}
