using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Retention.Cleanup;
using Retention.Diagnostics;
using Retention.Hosting.Diagnostics;
using Retention.Hosting.Scheduling;
using Retention.Stores;

namespace Retention.Hosting.Status;

/// <summary>
/// The observable gauge <c>retention.storage.held</c>: bytes held by jobs whose data is not cleaned yet, by status. Gauge callbacks
/// must not block on a database, so the figures are read from the store at start, after every run, and every refresh interval.
/// </summary>
internal sealed class StorageUsageGauge : BackgroundLoop, ICleanupNotifier
{
    private readonly IStorageUsageStore? _store;
    private readonly BackgroundCleanupOptions _options;
    private readonly ILogger _logger;
    private readonly IHostEnvironment? _environment;
    private readonly Meter? _ownedMeter;
    private IReadOnlyList<StorageUsage> _usage = [];

    public StorageUsageGauge(
        IOptions<BackgroundCleanupOptions> options,
        TimeProvider time,
        ILogger<StorageUsageGauge> logger,
        IHostEnvironment? environment = null,
        IMeterFactory? meterFactory = null,
        IStorageUsageStore? store = null)
        : base(time, logger, options.Value.ClockCheckInterval)
    {
        _store = store;
        _options = options.Value;
        _logger = logger;
        _environment = environment;

        // The host's meter factory hands out the one "Retention" meter the engine's instruments are on.
        var meter = meterFactory?.Create(RetentionTelemetry.Name) ?? (_ownedMeter = new Meter(RetentionTelemetry.Name));
        meter.CreateObservableGauge(RetentionTelemetry.StorageHeld, Observe, "By", "Bytes held by jobs whose data is not cleaned yet, by status.");
    }

    /// <summary>The figures the gauge reports now.</summary>
    public IReadOnlyList<StorageUsage> Usage => Volatile.Read(ref _usage);

    public async ValueTask NotifyAsync(CleanupReport report, CancellationToken cancellationToken = default)
    {
        if (!report.DryRun)
        {
            await RefreshAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        if (_store is null)
        {
            return;
        }

        try
        {
            Volatile.Write(ref _usage, await _store.GetStorageUsageAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            HostingLog.UsageRefreshFailed(_logger, ex, ex.Message);
        }
    }

    protected override string Work => "Storage usage refresh";

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        // Quietly off without a usage store: the gauge is a by-product, not something a host asked for.
        if (_store is null || HostEnvironmentGate.IsSuppressed(_environment, _options, _logger))
        {
            return;
        }

        await RepeatAsync(now => now + _options.UsageRefreshInterval, startNow: true, RefreshAsync, stoppingToken).ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _ownedMeter?.Dispose();
    }

    private IEnumerable<Measurement<long>> Observe()
    {
        foreach (var row in Usage)
        {
            yield return new Measurement<long>(row.Bytes, new KeyValuePair<string, object?>("status", row.Status));
        }
    }
}
