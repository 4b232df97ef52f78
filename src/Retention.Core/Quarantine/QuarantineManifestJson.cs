using System.Text.Json.Serialization;

namespace Retention.Quarantine;

/// <summary>The manifest line's serializer, generated at compile time (no reflection: trimming and native AOT keep it).</summary>
[JsonSerializable(typeof(QuarantineManifest.Line))]
internal sealed partial class QuarantineManifestJson : JsonSerializerContext;
