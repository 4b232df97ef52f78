namespace Retention;

/// <summary>
/// What an artifact is to its job: <see cref="Input"/>, <see cref="Output"/>, <see cref="Temp"/>, <see cref="Log"/>,
/// or a name the host defines. Names compare case-insensitively.
/// </summary>
public readonly struct ArtifactKind : IEquatable<ArtifactKind>
{
    private readonly string? _name;

    /// <summary>Creates a kind from its name.</summary>
    /// <param name="name">A non-empty name such as <c>input</c> or <c>thumbnail</c>.</param>
    public ArtifactKind(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _name = name.Trim().ToLowerInvariant();
    }

    /// <summary>Files the job was given (uploads).</summary>
    public static ArtifactKind Input { get; } = new("input");

    /// <summary>Files the job produced (<c>results/{job_id}/</c>).</summary>
    public static ArtifactKind Output { get; } = new("output");

    /// <summary>Working files.</summary>
    public static ArtifactKind Temp { get; } = new("temp");

    /// <summary>Log files.</summary>
    public static ArtifactKind Log { get; } = new("log");

    /// <summary>The lower-case name.</summary>
    public string Name => _name ?? "output";

    /// <summary>The plural used in reasons: "outputs", "inputs", "temp files", "logs", "thumbnail artifacts".</summary>
    public string Plural => Name switch
    {
        "input" => "inputs",
        "output" => "outputs",
        "temp" => "temp files",
        "log" => "logs",
        _ => Name + " artifacts",
    };

    /// <summary>Compares two kinds.</summary>
    /// <param name="left">The first kind.</param>
    /// <param name="right">The second kind.</param>
    /// <returns><see langword="true"/> when the names are equal.</returns>
    public static bool operator ==(ArtifactKind left, ArtifactKind right) => left.Equals(right);

    /// <summary>Compares two kinds.</summary>
    /// <param name="left">The first kind.</param>
    /// <param name="right">The second kind.</param>
    /// <returns><see langword="true"/> when the names differ.</returns>
    public static bool operator !=(ArtifactKind left, ArtifactKind right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(ArtifactKind other) => string.Equals(Name, other.Name, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ArtifactKind other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Name);

    /// <inheritdoc />
    public override string ToString() => Name;
}
