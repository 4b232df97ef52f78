using System.Threading.Channels;

namespace WebHost.Jobs;

/// <summary>Jobs accepted by the API and waiting for the processor.</summary>
internal sealed class JobQueue
{
    private readonly Channel<string> _jobs = Channel.CreateUnbounded<string>();

    public ValueTask EnqueueAsync(string jobId, CancellationToken cancellationToken) => _jobs.Writer.WriteAsync(jobId, cancellationToken);

    public IAsyncEnumerable<string> ReadAllAsync(CancellationToken cancellationToken) => _jobs.Reader.ReadAllAsync(cancellationToken);
}
