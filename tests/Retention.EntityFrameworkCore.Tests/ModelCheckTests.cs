using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Retention.EntityFrameworkCore.Tests.Jobs;

namespace Retention.EntityFrameworkCore.Tests;

/// <summary>A model without the cleanup's entities, or without a mapped member, fails at first use and says what to add.</summary>
public sealed class ModelCheckTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("retention-ef-model-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_model_without_AddRetention_or_with_an_ignored_member_is_named_at_first_use()
    {
        var services = new ServiceCollection()
            .AddDbContext<BareContext>(o => o.UseSqlite($"Data Source={Path.Combine(_directory, "bare.db")}"))
            .BuildServiceProvider();
        using var store = new EntityFrameworkCoreJobStore<BareContext, WordJob>(services, WordJob.Map);

        var error = await Assert.ThrowsAsync<RetentionConfigurationException>(() => store.InitializeAsync());

        Assert.Contains("call modelBuilder.AddRetention()", error.Message, StringComparison.Ordinal);
        Assert.Contains("map.ErrorMessage(j => j.Error): Error is not a mapped property of WordJob in BareContext's model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_context_the_host_never_registered_is_named_with_the_call_to_make()
    {
        using var store = new EntityFrameworkCoreJobStore<BareContext, WordJob>(new ServiceCollection().BuildServiceProvider(), WordJob.Map);

        var error = await Assert.ThrowsAsync<RetentionConfigurationException>(() => store.InitializeAsync());

        Assert.Contains("BareContext is not registered: call services.AddDbContext<BareContext>(...)", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A host's context that ignores the error column and never added the cleanup's entities.</summary>
    public sealed class BareContext(DbContextOptions<BareContext> options) : DbContext(options)
    {
        protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.Entity<WordJob>().Ignore(j => j.Error);
    }
}
