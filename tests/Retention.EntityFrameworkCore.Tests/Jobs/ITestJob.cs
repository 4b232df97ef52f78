using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Retention.EntityFrameworkCore.Mapping;

namespace Retention.EntityFrameworkCore.Tests.Jobs;

/// <summary>A host's job entity as the tests use it: how a job record becomes one, how it is configured, and how the store maps it.</summary>
public interface ITestJob<TSelf>
    where TSelf : class, ITestJob<TSelf>
{
    static abstract TSelf From(JobRecord job);

    static abstract void Configure(EntityTypeBuilder<TSelf> entity);

    static abstract void Map(EntityFrameworkCoreJobMap<TSelf> map);
}
