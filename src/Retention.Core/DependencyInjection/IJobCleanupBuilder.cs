namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Returned by <c>AddJobCleanup()</c>; stores and features extend it (<c>UseInMemoryStore()</c>, <c>UseStore&lt;T&gt;()</c>).</summary>
public interface IJobCleanupBuilder
{
    /// <summary>The service collection the cleanup is registered in.</summary>
    IServiceCollection Services { get; }
}
