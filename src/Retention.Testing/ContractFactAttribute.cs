using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Retention.Testing;

/// <summary>
/// A contract test. It runs like a <see cref="FactAttribute"/>, unless the deriving test class carries
/// <see cref="SkipContractWhenAttribute"/> and that names a reason: then it is reported skipped with the reason (a store
/// whose server is not reachable here).
/// </summary>
[XunitTestCaseDiscoverer("Retention.Testing.ContractFactDiscoverer", "Retention.Testing")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class ContractFactAttribute : FactAttribute
{
    /// <summary>
    /// The optional store capability the test is about (<c>typeof(IStaleJobStore)</c>, ...). A store that does not
    /// implement it has the test reported skipped with that reason, so a host with only <c>IJobStore</c> runs the part
    /// of the suite that applies to it.
    /// </summary>
    public Type? Requires { get; set; }
}

/// <summary>Names a static <see cref="string"/> property that says why the store under test cannot be tested here, or is <see langword="null"/>.</summary>
/// <param name="type">The type with the property.</param>
/// <param name="property">The property (public or not).</param>
[AttributeUsage(AttributeTargets.Class)]
public sealed class SkipContractWhenAttribute(Type type, string property) : Attribute
{
    /// <summary>The type with the property.</summary>
    public Type Type { get; } = type;

    /// <summary>The property's name.</summary>
    public string Property { get; } = property;
}

/// <summary>Discovers <see cref="ContractFactAttribute"/> tests: skipped with the deriving class's reason, else as facts.</summary>
public sealed class ContractFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    private readonly FactDiscoverer _facts = new(diagnosticMessageSink);

    /// <inheritdoc />
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        if (testMethod.TestClass.Class.GetCustomAttributes(typeof(SkipContractWhenAttribute)).FirstOrDefault() is { } skip
            && skip.GetConstructorArguments().ToArray() is [Type type, string property])
        {
            // A misspelled or mistyped property must not quietly run the tests where they cannot pass: it is an error.
            if (type.GetProperty(property, System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic) is not { PropertyType: var propertyType } found
                || propertyType != typeof(string))
            {
                return [new ExecutionErrorTestCase(diagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, $"[SkipContractWhen]: {type.Name}.{property} is not a static string property.")];
            }

            if (found.GetValue(null) is string reason)
            {
                return [new XunitSkippedDataRowTestCase(diagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason)];
            }
        }

        if (factAttribute.GetNamedArgument<Type?>(nameof(ContractFactAttribute.Requires)) is { } capability
            && StoreType(testMethod.TestClass.Class.ToRuntimeType()) is { } store
            && !capability.IsAssignableFrom(store))
        {
            return [new XunitSkippedDataRowTestCase(diagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, $"{store.Name} does not implement {capability.Name}")];
        }

        return _facts.Discover(discoveryOptions, testMethod, factAttribute);
    }

    // The TStore of the JobStoreContract<TStore> (or other generic contract) the test class derives from.
    private static Type? StoreType(Type? testClass)
    {
        for (var type = testClass; type is not null; type = type.BaseType)
        {
            if (type.IsGenericType && type.GetGenericArguments() is [var store])
            {
                return store;
            }
        }

        return null;
    }
}
