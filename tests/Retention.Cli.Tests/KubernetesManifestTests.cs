using YamlDotNet.RepresentationModel;

namespace Retention.Cli.Tests;

/// <summary>
/// The printed CronJob is parsed as YAML and checked as a cluster would read it (kubectl is not on the test machines):
/// the settings in force as variables, every path they name mounted from the claim, one run at a time.
/// </summary>
public sealed class KubernetesManifestTests : IDisposable
{
    private readonly Installation _site = new();

    public void Dispose() => _site.Dispose();

    private static YamlMappingNode Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)Assert.Single(stream.Documents).RootNode;
    }

    private static YamlNode At(YamlNode node, params string[] path) =>
        path.Aggregate(node, (n, key) => key.StartsWith('#') ? ((YamlSequenceNode)n).Children[int.Parse(key[1..], System.Globalization.CultureInfo.InvariantCulture)] : ((YamlMappingNode)n).Children[new YamlScalarNode(key)]);

    private static string? Text(YamlNode node, params string[] path) => ((YamlScalarNode)At(node, path)).Value;

    private static bool Has(YamlNode node, string key) => ((YamlMappingNode)node).Children.ContainsKey(new YamlScalarNode(key));

    private static Dictionary<string, YamlMappingNode> Env(YamlNode container) =>
        ((YamlSequenceNode)At(container, "env")).Children.Cast<YamlMappingNode>().ToDictionary(e => Text(e, "name")!, e => e);

    private static YamlNode Pod(YamlNode root) => At(root, "spec", "jobTemplate", "spec", "template", "spec");

    [Fact]
    public async Task the_cronjob_carries_the_settings_in_force_and_mounts_every_path_they_name()
    {
        Directory.CreateDirectory(Path.Combine(_site.Root, "scratch"));
        _site.Environment["EEMT_SUCCESS_RETENTION_HOURS"] = "72";
        _site.Environment["EEMT_CLEANUP_DRY_RUN"] = "true";
        _site.Environment["EEMT_CLEANUP_SCHEDULE"] = "30 4 * * *";
        _site.Environment["JobCleanup__Quarantine__Enabled"] = "true";
        _site.Environment["JobCleanup__Background__RunOnStart"] = "true";

        var (exit, output, error) = await _site.Run("schedule", "print", "--kubernetes", "--failed-retention", "6", "--temp-dir", "scratch", "--pvc-claim", "jobs-data", "--image", "registry.example/retention:1.2");

        Assert.Equal((0, string.Empty), (exit, error));
        var root = Parse(output);
        Assert.Equal("batch/v1", Text(root, "apiVersion"));
        Assert.Equal("CronJob", Text(root, "kind"));
        Assert.Equal("30 4 * * *", Text(root, "spec", "schedule"));
        Assert.Equal("Forbid", Text(root, "spec", "concurrencyPolicy"));
        Assert.False(Has(At(root, "spec"), "suspend"));
        var pod = Pod(root);
        Assert.Equal("OnFailure", Text(pod, "restartPolicy"));
        var container = At(pod, "containers", "#0");
        Assert.Equal("registry.example/retention:1.2", Text(container, "image"));
        Assert.Equal(["retention", "clean"], ((YamlSequenceNode)At(container, "command")).Children.Concat(((YamlSequenceNode)At(container, "args")).Children).Select(n => ((YamlScalarNode)n).Value));

        var env = Env(container);
        var values = env.ToDictionary(e => e.Key, e => Text(e.Value, "value"));
        Assert.Equal(_site.Db, values["JobCleanup__Sqlite__DatabasePath"]);
        Assert.Equal(Path.Combine(_site.Root, "uploads"), values["JobCleanup__Roots__uploads"]);
        Assert.Equal(Path.Combine(_site.Root, "results"), values["JobCleanup__Roots__results"]);
        Assert.Equal(Path.Combine(_site.Root, "scratch"), values["JobCleanup__Roots__temp"]);
        Assert.Equal("72h", values["JobCleanup__SucceededRetention"]);
        Assert.Equal("6h", values["JobCleanup__FailedRetention"]);
        Assert.Equal("100", values["JobCleanup__BatchSize"]);
        Assert.Equal("4", values["JobCleanup__MaxParallelDeletions"]);
        Assert.Equal("true", values["JobCleanup__DryRun"]);
        Assert.Equal("true", values["JobCleanup__Quarantine__Enabled"]);
        Assert.DoesNotContain(env.Keys, k => k.StartsWith("JobCleanup__Background__", StringComparison.Ordinal) || k.StartsWith("EEMT_", StringComparison.Ordinal));

        // Every mount is of a volume the pod declares, that volume is the named claim, and every path the variables
        // name lies under a mount.
        var volumes = ((YamlSequenceNode)At(pod, "volumes")).Children.ToDictionary(v => Text(v, "name")!);
        var mounts = ((YamlSequenceNode)At(container, "volumeMounts")).Children.ToArray();
        Assert.NotEmpty(mounts);
        Assert.All(mounts, m => Assert.True(volumes.ContainsKey(Text(m, "name")!)));
        Assert.Equal("jobs-data", Text(Assert.Single(volumes).Value, "persistentVolumeClaim", "claimName"));
        foreach (var path in new[] { _site.Db, Path.Combine(_site.Root, "uploads"), Path.Combine(_site.Root, "results"), Path.Combine(_site.Root, "scratch") })
        {
            Assert.Contains(mounts, m => path.StartsWith(Text(m, "mountPath")!.TrimEnd('/') + "/", StringComparison.Ordinal) || path == Text(m, "mountPath"));
        }
    }

    [Fact]
    public async Task the_tool_run_with_only_the_cronjobs_variables_cleans_as_the_settings_said()
    {
        _site.Job("old-success", "completed", TimeSpan.FromHours(80));
        _site.Job("young-success", "completed", TimeSpan.FromHours(20));
        _site.Environment["EEMT_SUCCESS_RETENTION_HOURS"] = "72";
        var (_, output, _) = await _site.Run("schedule", "print", "--kubernetes");
        var env = Env(At(Pod(Parse(output)), "containers", "#0"));

        // What the container gets: the manifest's variables and nothing of this shell.
        _site.Environment.Clear();
        foreach (var (name, entry) in env)
        {
            _site.Environment[name] = Text(entry, "value");
        }

        var (exit, _, error) = await _site.Run("clean");

        Assert.Equal((0, string.Empty), (exit, error));
        Assert.False(_site.Exists("results/old-success"));
        Assert.True(_site.Exists("results/young-success"));
    }

    [Fact]
    public async Task folders_outside_the_working_directory_get_mounts_of_their_own()
    {
        using var elsewhere = new TempTree();
        var uploads = elsewhere.Dir("uploads");

        var (exit, output, _) = await _site.Run("schedule", "print", "--kubernetes", "--uploads-dir", uploads);

        Assert.Equal(0, exit);
        var mounts = ((YamlSequenceNode)At(Pod(Parse(output)), "containers", "#0", "volumeMounts")).Children
            .ToDictionary(m => Text(m, "mountPath")!, m => Has(m, "subPath") ? Text(m, "subPath") : null);
        Assert.Equal(2, mounts.Count); // the working directory (database and results) and the uploads elsewhere
        Assert.Null(mounts[_site.Root]);
        Assert.Equal(uploads.TrimStart('/'), mounts[uploads]);
    }

    [Fact]
    public async Task scheduling_turned_off_prints_the_cronjob_suspended()
    {
        _site.Environment["EEMT_ENABLE_AUTO_CLEANUP"] = "false";

        var (exit, output, error) = await _site.Run("schedule", "print", "--kubernetes");

        Assert.Equal(0, exit);
        Assert.Equal("true", Text(Parse(output), "spec", "suspend"));
        Assert.Contains("EEMT_ENABLE_AUTO_CLEANUP=false", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_postgres_connection_string_comes_from_a_secret_and_is_never_printed()
    {
        const string Connection = "Host=db.internal;Username=retention;Password=s3cret;Database=jobs";
        _site.Environment["JobCleanup__PostgreSql__ConnectionString"] = Connection;

        var (exit, output, _) = await _site.Run("schedule", "print", "--kubernetes", "--postgres-secret", "jobs-db");

        Assert.Equal(0, exit);
        Assert.DoesNotContain("s3cret", output, StringComparison.Ordinal);
        var env = Env(At(Pod(Parse(output)), "containers", "#0"));
        var secret = At(env["JobCleanup__PostgreSql__ConnectionString"], "valueFrom", "secretKeyRef");
        Assert.Equal("jobs-db", Text(secret, "name"));
        Assert.Equal("connection-string", Text(secret, "key"));
        Assert.False(env.ContainsKey("JobCleanup__Sqlite__DatabasePath"));
    }

    [Theory]
    [InlineData("--pvc-claim", "Jobs_Data")]
    [InlineData("--postgres-secret", "-bad")]
    [InlineData("--image", "my image")]
    public async Task a_bad_kubernetes_name_exits_2_naming_the_flag(string flag, string value)
    {
        var (exit, output, error) = await _site.Run("schedule", "print", "--kubernetes", flag, value);

        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains($"{flag}: '{value}' is not", error, StringComparison.Ordinal);
    }
}
