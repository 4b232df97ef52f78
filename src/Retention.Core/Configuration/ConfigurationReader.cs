using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Retention.Configuration;

/// <summary>
/// Reads a configuration section into an options object the way every entry point of the library does: each key must
/// name a property (an unknown key is an error, with the nearest known key as a suggestion), each value must parse
/// (durations as <see cref="DurationText"/> says, enums by name, numbers in the invariant culture), and every problem
/// is collected, so one start-up reports them all. Only then is the section bound, with durations already normalized.
/// </summary>
internal static class ConfigurationReader
{
    /// <summary>Checks <paramref name="section"/> against <paramref name="type"/>; the values to bind go into <paramref name="normalized"/>.</summary>
    /// <param name="section">The section.</param>
    /// <param name="type">The options type it binds to.</param>
    /// <param name="normalized">Receives each value to bind, by its full key, durations rewritten as <c>d.hh:mm:ss</c>.</param>
    /// <param name="errors">Receives one message per problem, each naming the full key.</param>
    /// <param name="skip">Child keys of the top level that another reader owns.</param>
    [RequiresUnreferencedCode("Reads the options type's properties by reflection.")]
    public static void Check(IConfiguration section, Type type, IDictionary<string, string?> normalized, ICollection<string> errors, ISet<string>? skip = null)
    {
        var path = section is IConfigurationSection s ? s.Path : string.Empty;
        CheckObject(section, path, type, normalized, errors, skip);
    }

    [RequiresUnreferencedCode("Reads the options type's properties by reflection.")]
    private static void CheckObject(IConfiguration section, string path, Type type, IDictionary<string, string?> normalized, ICollection<string> errors, ISet<string>? skip)
    {
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && IsBindable(p))
            .ToArray();
        foreach (var child in section.GetChildren())
        {
            if (skip?.Contains(child.Key) == true)
            {
                continue;
            }

            var property = properties.FirstOrDefault(p => string.Equals(p.Name, child.Key, StringComparison.OrdinalIgnoreCase));
            if (property is null)
            {
                var names = properties.Select(p => p.Name).ToArray();
                errors.Add($"{child.Path}: unknown key{Suggest(child.Key, names)}");
                continue;
            }

            CheckValue(child, property.PropertyType, normalized, errors);
        }
    }

    [RequiresUnreferencedCode("Reads the options type's properties by reflection.")]
    private static void CheckValue(IConfigurationSection section, Type type, IDictionary<string, string?> normalized, ICollection<string> errors)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (IsScalar(type))
        {
            if (section.Value is null)
            {
                if (section.GetChildren().Any())
                {
                    errors.Add($"{section.Path}: takes one value, not a section ({Describe(type)})");
                }

                return;
            }

            if (section.Value.Trim().Length == 0 && type != typeof(string))
            {
                return; // blank is unset, as the binder reads it (JobCleanup__CircuitBreaker__MaxJobsPerRun= : no limit)
            }

            if (Convert(section.Value, type, out var value, out var problem))
            {
                normalized[section.Path] = value;
            }
            else
            {
                errors.Add($"{section.Path}: {problem}");
            }

            return;
        }

        if (DictionaryValueType(type) is { } valueType)
        {
            if (section.Value is { Length: > 0 })
            {
                errors.Add($"{section.Path}: is a section of named entries ({section.Path}:name = ...), not one value");
                return;
            }

            var keyType = type.GetGenericArguments()[0];
            foreach (var entry in section.GetChildren())
            {
                if (keyType.IsEnum && !Enum.GetNames(keyType).Any(n => string.Equals(n, entry.Key, StringComparison.OrdinalIgnoreCase)))
                {
                    errors.Add($"{entry.Path}: '{entry.Key}' is not one of {string.Join(", ", Enum.GetNames(keyType))}{Suggest(entry.Key, Enum.GetNames(keyType), sentence: true)}");
                    continue;
                }

                CheckValue(entry, valueType, normalized, errors);
            }

            return;
        }

        if (ListItemType(type) is { } itemType)
        {
            if (section.Value is not null && IsScalar(itemType))
            {
                // A single value where a list is expected: read as a list of one (JobCleanup__Rules__0__Statuses=Failed).
                if (Convert(section.Value, itemType, out var one, out var problem))
                {
                    normalized[section.Path + ConfigurationPath.KeyDelimiter + "0"] = one;
                }
                else
                {
                    errors.Add($"{section.Path}: {problem}");
                }

                return;
            }

            if (section.Value is { Length: > 0 })
            {
                errors.Add($"{section.Path}: is a list of sections numbered 0, 1, 2, ..., not one value");
                return;
            }

            foreach (var item in section.GetChildren())
            {
                if (!int.TryParse(item.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    errors.Add($"{item.Path}: a list takes items numbered 0, 1, 2, ..., not '{item.Key}'");
                    continue;
                }

                CheckValue(item, itemType, normalized, errors);
            }

            return;
        }

        // An empty value on a section is what flattening a configuration into "--key=value" arguments leaves for each
        // parent key (ASP.NET Core's test host does it with UseSetting): nothing was given there.
        if (!string.IsNullOrEmpty(section.Value))
        {
            errors.Add($"{section.Path}: is a section with its own keys, not one value");
            return;
        }

        CheckObject(section, section.Path, type, normalized, errors, skip: null);
    }

    [RequiresUnreferencedCode("Reads the type's converter by reflection.")]
    private static bool Convert(string text, Type type, out string? value, out string? problem)
    {
        value = text;
        problem = null;
        if (type == typeof(TimeSpan))
        {
            if (DurationText.TryParse(text, out var duration, out problem))
            {
                value = duration.ToString("c", CultureInfo.InvariantCulture);
                return true;
            }

            return false;
        }

        if (type.IsEnum)
        {
            var names = Enum.GetNames(type);
            if (names.FirstOrDefault(n => string.Equals(n, text.Trim(), StringComparison.OrdinalIgnoreCase)) is { } name)
            {
                value = name;
                return true;
            }

            problem = $"'{text}' is not one of {string.Join(", ", names)}{Suggest(text.Trim(), names, sentence: true)}";
            return false;
        }

        if (type == typeof(bool))
        {
            // Written as people and the old scripts' variables write it; bound as the binder reads it.
            var flag = text.Trim().ToLowerInvariant() switch
            {
                "true" or "1" or "yes" or "on" => "true",
                "false" or "0" or "no" or "off" => "false",
                _ => null,
            };
            value = flag;
            problem = flag is null ? $"'{text}' is not true or false" : null;
            return flag is not null;
        }

        var ok = Type.GetTypeCode(type) switch
        {
            TypeCode.Int32 => int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
            TypeCode.Int64 => long.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
            TypeCode.Double => double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out _),
            TypeCode.String => true,
            _ when type == typeof(Uri) => Uri.TryCreate(text.Trim(), UriKind.RelativeOrAbsolute, out _),
            _ => ConvertsFrom(type, text),
        };
        if (!ok)
        {
            problem = $"'{text}' is not {Describe(type)}";
        }

        return ok;
    }

    private static string Describe(Type type) => Type.GetTypeCode(type) switch
    {
        TypeCode.Boolean => "true or false",
        TypeCode.Int32 or TypeCode.Int64 => "a whole number",
        TypeCode.Double => "a number",
        _ when type == typeof(TimeSpan) => "a duration: " + DurationText.Forms,
        _ => "text",
    };

    // Anything the binder reads from one string: primitives, enums, durations, and types with a string converter
    // (Guid, DateTimeOffset, decimal, ...).
    [RequiresUnreferencedCode("Reads the type's converter by reflection.")]
    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(TimeSpan) || type == typeof(Uri)
        || TypeDescriptor.GetConverter(type).CanConvertFrom(typeof(string));

    // The binder converts with the type's converter; one that throws here would throw there, midway through binding.
    [RequiresUnreferencedCode("Reads the type's converter by reflection.")]
    private static bool ConvertsFrom(Type type, string text)
    {
        try
        {
            return TypeDescriptor.GetConverter(type).ConvertFromInvariantString(text) is not null;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or NotSupportedException or OverflowException)
        {
            return false;
        }
    }

    // Settable, or a collection or options object the binder fills in place; what is set in code only (a policy, a
    // resilience pipeline) is no key of the section.
    private static bool IsBindable(PropertyInfo property) =>
        property.GetMethod?.IsPublic == true
        && (property.SetMethod?.IsPublic == true || DictionaryValueType(property.PropertyType) is not null || ListItemType(property.PropertyType) is not null)
        && property.PropertyType.Namespace?.StartsWith("Polly", StringComparison.Ordinal) != true
        && property.PropertyType != typeof(Policies.RetentionPolicy);

    // Keyed by name or by an enum (a status map): each child is an entry.
    private static Type? DictionaryValueType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() is var d && (d == typeof(IDictionary<,>) || d == typeof(Dictionary<,>) || d == typeof(IReadOnlyDictionary<,>))
            ? type.GetGenericArguments()[1] : null;

    private static Type? ListItemType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.IsGenericType && type.GetGenericTypeDefinition() is var d && (d == typeof(IList<>) || d == typeof(List<>) || d == typeof(ICollection<>) || d == typeof(IReadOnlyList<>) || d == typeof(IEnumerable<>))
            ? type.GetGenericArguments()[0]
            : null;

    /// <summary>"; did you mean 'X'?" for the nearest of <paramref name="known"/>, or the list of them when none is near.</summary>
    internal static string Suggest(string given, IReadOnlyCollection<string> known, bool sentence = false) =>
        NearestName.Find(given, known) is { } nearest ? $"; did you mean '{nearest}'?"
        : sentence || known.Count == 0 ? string.Empty
        : $" (known keys: {string.Join(", ", known)})";
}
