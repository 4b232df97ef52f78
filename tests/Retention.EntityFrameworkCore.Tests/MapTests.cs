using Microsoft.Extensions.DependencyInjection;
using Retention.EntityFrameworkCore.Tests.Jobs;

namespace Retention.EntityFrameworkCore.Tests;

/// <summary>A map the store cannot use stops the host at registration, with a message naming each member at fault.</summary>
public sealed class MapTests
{
    private static RetentionConfigurationException Register(Action<Mapping.EntityFrameworkCoreJobMap<WordJob>> map) =>
        Assert.Throws<RetentionConfigurationException>(() => new ServiceCollection().AddJobCleanup().UseEntityFrameworkCoreStore<JobsContext<WordJob>, WordJob>(map));

    [Fact]
    public void Missing_members_are_each_named_with_an_example()
    {
        var error = Register(map => map.Id(j => j.Id).StartedAt(j => j.StartedAt).CompletedAt(j => j.FinishedAt));

        Assert.Contains("map.Status(...) is missing", error.Message, StringComparison.Ordinal);
        Assert.Contains("map.DataCleanedAt(...) is missing", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("map.Id(", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_member_of_a_type_the_store_cannot_use_is_named_with_its_type()
    {
        var error = Register(map => map.Id(j => j.Id).Status(j => j.State).StartedAt(j => j.Kind).CompletedAt(j => j.FinishedAt).DataCleanedAt(j => j.CreatedAt));

        Assert.Contains("map.StartedAt(j => j.Kind): the member is a String", error.Message, StringComparison.Ordinal);
        Assert.Contains("map.DataCleanedAt(j => j.CreatedAt): the member is a DateTime; it must be nullable", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_given_to_two_statuses_and_an_expression_that_is_not_a_member_are_named()
    {
        var error = Register(map => map.Id(j => j.Id).Status(j => j.State.ToUpperInvariant(), s => s.Succeeded("done").Failed("done")).StartedAt(j => j.StartedAt).CompletedAt(j => j.FinishedAt).DataCleanedAt(j => j.DataCleanedAt));

        Assert.Contains("map.Status(j => j.State.ToUpperInvariant()): give a property of the job itself", error.Message, StringComparison.Ordinal);

        var clash = Register(map => map.Id(j => j.Id).Status(j => j.State, s => s.Succeeded("done").Failed("done")).StartedAt(j => j.StartedAt).CompletedAt(j => j.FinishedAt).DataCleanedAt(j => j.DataCleanedAt));
        Assert.Contains("the value 'done' is given to Succeeded and Failed", clash.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_integer_status_without_values_for_succeeded_and_failed_is_refused()
    {
        var error = Assert.Throws<RetentionConfigurationException>(() => new ServiceCollection().AddJobCleanup()
            .UseEntityFrameworkCoreStore<JobsContext<IntJob>, IntJob>(map => map.Id(j => j.Id).Status(j => j.StatusCode).StartedAt(j => j.StartedAt).CompletedAt(j => j.CompletedAt).DataCleanedAt(j => j.DataCleanedAt)));

        Assert.Contains("Succeeded has no value", error.Message, StringComparison.Ordinal);
        Assert.Contains("Failed has no value", error.Message, StringComparison.Ordinal);
    }
}
