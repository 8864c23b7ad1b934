using FsCheck;
using FsCheck.Fluent;
using LanguageExt;
using LayerFunctional.Edge;

namespace LayerFunctional.Properties;

/// <summary>Runs only when <c>LAYERFN_REPLAY_ROOT</c> names a saved root.</summary>
public sealed class ReplayFactAttribute : FactAttribute
{
    public ReplayFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("LAYERFN_REPLAY_ROOT")))
            Skip = "set LAYERFN_REPLAY_ROOT to a root written by layerfn generate (and LAYERFN_REPLAY_ARGS to its generate arguments) to replay it";
    }
}

/// <summary>Runs only when <c>LAYERFN_LONG_RUN</c> gives a number of cases.</summary>
public sealed class LongRunFactAttribute : FactAttribute
{
    public LongRunFactAttribute()
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable("LAYERFN_LONG_RUN"), out _))
            Skip = "set LAYERFN_LONG_RUN=N to run every in-memory property over N cases";
    }
}

/// <summary>
/// Replay of a failing case on disk, and the long run. A failing property prints a line such as
/// <c>rm -rf /tmp/layerfn-replay &amp;&amp; dotnet run --project src/LayerFunctional.Cli -- generate /tmp/layerfn-replay --seed 5 …
/// &amp;&amp; LAYERFN_REPLAY_ROOT=/tmp/layerfn-replay LAYERFN_REPLAY_ARGS='--seed 5 …' dotnet test properties/LayerFunctional.Properties --filter Replay_a_saved_root</c>.
/// </summary>
public class ReplayAndLongRun
{
    [ReplayFact]
    public void Replay_a_saved_root()
    {
        var dir = Environment.GetEnvironmentVariable("LAYERFN_REPLAY_ROOT")!;
        var args = Environment.GetEnvironmentVariable("LAYERFN_REPLAY_ARGS") ?? "";
        using (var reader = DockerRootReader.OnDisk(dir))
        {
            var driver = reader.LayerDbDrivers().HeadOrNone().IfNone("overlay2");
            var failing = Invariants.Failing(reader.ReadLayerDbSnapshot(driver, MobyVersion.Default));
            Assert.True(failing.IsEmpty, $"invariants failing on {dir}: {string.Join("; ", failing)}");
        }
        if (args.Length == 0) return;
        var model = RootCase.Parse(args).IfLeft(e => throw new ArgumentException(e)).Model;
        var options = new CheckOptions(dir, model.Expected.Moby, model.Expected.Driver, VerifyContent: model.Expected.NeedsContent);
        var disk = Checker.Check(options).IfLeft(e => throw new InvalidOperationException(e));
        GeneratedRootProperties.Mismatch(model, disk).IfSome(why => Assert.Fail($"{dir} ({args}): {why}"));
        Assert.Equal(ReportJson.Render(Checker.CheckGenerated(options, model).IfLeft(e => throw new InvalidOperationException(e))), ReportJson.Render(disk));
    }

    [LongRunFact]
    public void Long_run_of_every_in_memory_property()
    {
        var n = int.Parse(Environment.GetEnvironmentVariable("LAYERFN_LONG_RUN")!, System.Globalization.CultureInfo.InvariantCulture);
        var config = Config.QuickThrowOnFailure.WithMaxTest(n);
        var properties = new GeneratedRootProperties();
        var cases = RootCaseGen.Corrupted.ToArbitrary();
        var stores = StoreGen.Stores.ToArbitrary();
        var runs = new (string Name, Action Run)[]
        {
            ("exactness", () => Check.One(config, Prop.ForAll(cases, c => properties.Every_corrupters_problems_are_reported_exactly_and_nothing_else_changes_in_the_load(c)))),
            ("invariants", () => Check.One(config, Prop.ForAll(cases, c => properties.The_load_invariants_hold_and_the_core_equals_the_naive_transcription(c)))),
            ("random-bytes", () => Check.One(config, Prop.ForAll(cases, ArbMap.Default.ArbFor<PositiveInt>(), ArbMap.Default.ArbFor<byte[]>(),
                (c, which, bytes) => properties.Random_bytes_in_any_file_never_throw(c, which, bytes, which.Get % 7 == 0)))),
            ("random-stores", () => Check.One(config, Prop.ForAll(stores, s => Invariants.Failing(s.Snapshot).IsEmpty))),
            ("random-bolt", () => Check.One(config, Prop.ForAll(BoltProperties.Cases.ToArbitrary(), BoltProperties.NeverThrowsOrHangs))),
        };
        // LAYERFN_LONG_RUN_ONLY=random-bytes,random-stores runs only those (also exactness, invariants, random-bolt).
        var only = (Environment.GetEnvironmentVariable("LAYERFN_LONG_RUN_ONLY") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
        foreach (var (name, run) in runs.Where(r => only.Length == 0 || only.Contains(r.Name)))
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            run();
            Console.WriteLine($"long run: {name}: {n} cases passed in {clock.Elapsed.TotalSeconds:F0} s");
        }
    }
}
