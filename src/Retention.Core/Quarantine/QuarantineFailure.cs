namespace Retention.Quarantine;

/// <summary>A path the quarantine could not purge or restore, and why; it is left as it was.</summary>
/// <param name="Path">The path.</param>
/// <param name="Reason">The refusal or the error.</param>
public sealed record QuarantineFailure(string Path, string Reason);
