using System.Collections.Concurrent;
using System.Globalization;
using LanguageExt;
using static LanguageExt.Prelude;
using LayerFunctional.Edge;
using LayerFunctional.Generation;
using LayerFunctional.Testing;
using Xunit.Abstractions;

namespace LayerFunctional.DaemonTests;

/// <summary>Runs only where a real dockerd can start (root, dockerd installed, <c>LAYERFN_DAEMON</c> not 0).</summary>
public sealed class DaemonFactAttribute : FactAttribute
{
    public DaemonFactAttribute()
    {
        if (Dockerd.WhyNot is string why) Skip = why;
    }
}

/// <summary>Runs one saved case when <c>LAYERFN_DAEMON_CASE</c> holds its generate arguments.</summary>
public sealed class DaemonReplayFactAttribute : FactAttribute
{
    public DaemonReplayFactAttribute()
    {
        if (Dockerd.WhyNot is string why) Skip = why;
        else if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("LAYERFN_DAEMON_CASE")))
            Skip = "set LAYERFN_DAEMON_CASE='--seed N --layers N --mounts N --images N [--corrupt KIND]…' to replay one root against dockerd";
    }
}

/// <summary>
/// The differential test: generated roots (valid, each corrupter kind, random stacks) are checked for moby 20.10 and then
/// started under a real dockerd 20.10; start-up outcome, driver, skipped layers and mounts, images and containers must agree.
/// <c>LAYERFN_DAEMON_ROOTS</c> (default 100) sets the number of roots: the first half from fixed seeds, the rest from
/// <c>LAYERFN_DAEMON_SEED_BASE</c> (CI derives it from the commit); <c>LAYERFN_DAEMON_PARALLEL</c> daemons run at once
/// (default 2); <c>LAYERFN_DAEMON_CYCLES=N</c> adds a parent cycle to each of the first N turns through the kinds, with <c>LAYERFN_DAEMON_CYCLE_TIMEOUT</c> seconds (default 900)
/// for dockerd to die of them. The summary line <c>daemon: N roots, N agree</c> also goes to <c>LAYERFN_DAEMON_SUMMARY</c>.
/// </summary>
public class DaemonDifferentialTests(ITestOutputHelper output)
{
    private static readonly MobyVersion Moby = MobyVersion.Parse("20.10").IfLeft(e => throw new InvalidOperationException(e));

    private static int Env(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : fallback;

    [DaemonFact]
    public async Task Dockerd_20_10_does_what_the_check_predicts_on_generated_roots()
    {
        var roots = Env("LAYERFN_DAEMON_ROOTS", 100);
        var seedBase = long.TryParse(Environment.GetEnvironmentVariable("LAYERFN_DAEMON_SEED_BASE"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var b) ? b : 1_000_000;
        // The first LAYERFN_DAEMON_CYCLES turns through the kinds include a parent cycle (each costs minutes of dockerd recursion).
        var cycles = Env("LAYERFN_DAEMON_CYCLES", 0);
        var cases = Enumerable.Range(0, roots)
            .Select(n => DaemonCase.Nth(n, n < roots / 2 ? n + 1 : seedBase + n, n / DaemonCase.Round < cycles)).ToArray();
        var disagreements = new ConcurrentBag<string>();
        var agree = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Env("LAYERFN_DAEMON_PARALLEL", 2)) }, async (c, _) =>
        {
            var why = await RunOne(c);
            if (why is null) Interlocked.Increment(ref agree);
            else disagreements.Add(why);
        });
        var summary = $"daemon: {roots} roots, {agree} agree ({Dockerd.Version()}; {clock.Elapsed.TotalSeconds:F0} s)";
        foreach (var d in disagreements.Order(StringComparer.Ordinal)) output.WriteLine(d);
        output.WriteLine(summary);
        Console.WriteLine(summary);
        if (Environment.GetEnvironmentVariable("LAYERFN_DAEMON_SUMMARY") is { Length: > 0 } file)
            await File.WriteAllTextAsync(file, summary + "\n" + string.Concat(disagreements.Order(StringComparer.Ordinal).Select(d => d + "\n")));
        Assert.True(disagreements.IsEmpty, $"{disagreements.Count} of {roots} roots disagree:\n{string.Join("\n", disagreements.Order(StringComparer.Ordinal))}");
    }

    [DaemonFact]
    public async Task A_valid_generated_root_with_containers_starts_with_every_container_and_image_listed()
    {
        var root = Corrupters.Generate(42, new GeneratorOptions(Layers: 12, Mounts: 5, Images: 3), default).IfLeft(e => throw new InvalidOperationException(e));
        var work = Directory.CreateTempSubdirectory("lfd-").FullName;
        try
        {
            var dir = Path.Combine(work, "r");
            RootWriter.Write(dir, root).IfLeft(e => throw new InvalidOperationException(e));
            var (daemon, log) = await Dockerd.Run(dir, work, default, TimeSpan.FromSeconds(60));
            Assert.True(daemon.StartUp == StartUp.Started, log);
            Assert.Equal(root.Mounts.Map(m => m.Name.Value).Order(StringComparer.Ordinal), daemon.Containers);
            Assert.Equal(root.Images.Map(i => i.Id).Order(StringComparer.Ordinal), daemon.Images);
            Assert.Equal(("overlay2", 0, 0), (daemon.Driver, daemon.SkippedLayers.Length, daemon.SkippedMounts.Length));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Issue "a repair plan": dockerd starts on a repaired copy and loads what the re-check predicts. One root per
    /// repairable corrupter kind (a layer's lost cache-id and a container's lost mount folder among them) and a few stacks of
    /// them, two with layers that cannot be recovered: write, check, run the
    /// plan (with a quarantine folder) with <c>DRY_RUN=0</c>, check again, start dockerd 20.10; every mount that loaded before
    /// still loads unless the plan quarantined it, and dockerd agrees with the re-check.</summary>
    [DaemonFact]
    public async Task Dockerd_starts_on_a_repaired_root_and_loads_what_the_recheck_predicts()
    {
        ProblemKind[] repairable = [.. RepairPlan.Repairable];
        var stacks = repairable.Select(k => new[] { k })
            .Concat([repairable[..5], repairable[3..8], repairable[5..], [.. repairable, ProblemKind.CacheDirMissing, ProblemKind.SizeInvalid],
                // What cannot be recovered is moved to the quarantine folder.
                [ProblemKind.TarSplitMissing, ProblemKind.TarSplitInvalid, ProblemKind.CacheDirMissing], [ProblemKind.TarSplitMissing, .. repairable[..4]]]).ToArray();
        var disagreements = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(stacks.Select((kinds, n) => (kinds, n)), new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Env("LAYERFN_DAEMON_PARALLEL", 2)) }, async (item, _) =>
        {
            var (kinds, n) = item;
            var root = Corrupters.Generate(500 + n, new GeneratorOptions(Layers: 8, Mounts: 3, Images: 2), kinds.ToSeq()).IfLeft(e => throw new InvalidOperationException(e));
            var work = Directory.CreateTempSubdirectory("lfd-").FullName;
            try
            {
                var dir = Path.Combine(work, "r");
                RootWriter.Write(dir, root).IfLeft(e => throw new InvalidOperationException(e));
                var options = new CheckOptions(dir, Moby, root.Expected.Driver) { HostLacks = Dockerd.HostLacks(work) };
                var before = Checker.Check(options).IfLeft(e => throw new InvalidOperationException(e));
                var quarantined = RepairPlan.Quarantine(before).Map(m => m.Path).ToHashSet(StringComparer.Ordinal);
                PlanShell.Run(PlanShell.Armed(RepairPlan.Render(before, dir, Some(Path.Combine(work, "quarantine")))), work);
                var after = Checker.Check(options).IfLeft(e => throw new InvalidOperationException(e));
                var lost = before.Store.Mounts.Map(m => m.Name).Except(after.Store.Mounts.Map(m => m.Name))
                    .Where(m => !quarantined.Contains(before.LayerDb.IfNone("") + "/mounts/" + m)).ToList();
                var (daemon, _) = await Dockerd.Run(dir, work, default, TimeSpan.FromSeconds(60));
                var predicted = DaemonCase.Predict(after);
                var why = DaemonCase.Difference(predicted, daemon, after).Case as string ?? (lost.Count > 0 ? "mounts lost: " + string.Join(", ", lost) : null);
                if (why is not null)
                    disagreements.Add($"seed {500 + n} [{string.Join(" ", kinds.Select(k => k.Id()))}]: {why}\n  check:   {predicted}\n  dockerd: {daemon}");
            }
            finally
            {
                try { Directory.Delete(work, recursive: true); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { output.WriteLine($"could not remove {work}: {e.Message}"); }
            }
        });
        var summary = $"daemon after repair: {stacks.Length} roots, {stacks.Length - disagreements.Count} agree";
        output.WriteLine(summary);
        Console.WriteLine(summary);
        Assert.True(disagreements.IsEmpty, string.Join("\n", disagreements.Order(StringComparer.Ordinal)));
    }

    [DaemonReplayFact]
    public async Task Replay_one_root_against_dockerd()
    {
        var c = DaemonCase.Parse(Environment.GetEnvironmentVariable("LAYERFN_DAEMON_CASE")!);
        var why = await RunOne(c, keepLog: true);
        Assert.True(why is null, why);
    }

    private async Task<string?> RunOne(DaemonCase c, bool keepLog = false)
    {
        var work = Directory.CreateTempSubdirectory("lfd-").FullName;
        try
        {
            var root = c.Root;
            var dir = Path.Combine(work, "r");
            RootWriter.Write(dir, root).IfLeft(e => throw new InvalidOperationException(e));
            var options = new CheckOptions(dir, Moby, root.Expected.Driver) { HostLacks = Dockerd.HostLacks(work) };
            var report = Checker.Check(options).IfLeft(e => throw new InvalidOperationException(e));
            var predicted = DaemonCase.Predict(report);
            var slow = c.Corruptions.Exists(k => DaemonCase.SlowKinds.Contains(k));
            var (daemon, log) = await Dockerd.Run(dir, work, root.Expected.Driver, TimeSpan.FromSeconds(slow ? Env("LAYERFN_DAEMON_CYCLE_TIMEOUT", 900) : 60));
            if (keepLog) output.WriteLine(log);
            return DaemonCase.Difference(predicted, daemon, report).Case is string why
                ? $"seed {c.Seed} ({c.Arguments}): {why}\n  check:   {predicted}\n  dockerd: {daemon}\n"
                  + $"  replay:  LAYERFN_DAEMON_CASE='{c.Arguments}' dotnet test tests/LayerFunctional.DaemonTests --filter Replay_one_root_against_dockerd --logger 'console;verbosity=detailed'"
                : null;
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                output.WriteLine($"could not remove {work}: {e.Message}");
            }
        }
    }
}
