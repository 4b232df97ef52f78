using Xunit;
using Xunit.Sdk;

namespace Retention.Testing;

/// <summary>
/// Whether xunit can find the discoverer <see cref="ContractFactAttribute"/> names. xunit 2 names a discoverer by type and
/// assembly name only ("Retention.Testing"); compiled into an assembly of another name (the suite's files copied into a
/// host's test project), every contract test is dropped at discovery without an error. Each contract therefore has one
/// plain [Fact], which xunit always finds, that fails then and says why.
/// </summary>
internal static class ContractDiscovery
{
    public static void AssertContractTestsAreFound()
    {
        var named = typeof(ContractFactAttribute).GetCustomAttributesData()
            .Single(a => a.AttributeType == typeof(XunitTestCaseDiscovererAttribute))
            .ConstructorArguments.Select(a => (string)a.Value!).ToArray();
        var (typeName, assemblyName) = (named[0], named[1]);
        var compiledInto = typeof(ContractFactAttribute).Assembly.GetName().Name;

        Assert.True(
            Type.GetType($"{typeName}, {assemblyName}", throwOnError: false) == typeof(ContractFactDiscoverer),
            $"The contract tests are not discovered: [ContractFact] names its discoverer as {typeName} in assembly " +
            $"'{assemblyName}', but the suite is compiled into '{compiledInto}'. Reference the Retention.Testing package " +
            "(or src/Retention.Testing/Retention.Testing.csproj) instead of copying its files.");
    }
}
