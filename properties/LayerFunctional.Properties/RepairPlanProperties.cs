using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LanguageExt;
using LayerFunctional.Edge;
using LayerFunctional.Generation;
using LayerFunctional.Testing;
using static LanguageExt.Prelude;

namespace LayerFunctional.Properties;

/// <summary>A repair property's number of cases: 200 (CI), or <c>LAYERFN_REPAIR_CASES</c> for a long run (e.g. 10,000).
/// Each case writes a root, runs the plan with <c>sh</c> and checks twice, so it costs far more than an in-memory case.</summary>
public sealed class RepairCasesPropertyAttribute : PropertyAttribute
{
    /// <summary>The number of cases from the environment, or 200.</summary>
    public static int Cases =>
        int.TryParse(Environment.GetEnvironmentVariable("LAYERFN_REPAIR_CASES"), out var n) && n > 0 ? n : 200;

    public RepairCasesPropertyAttribute() => MaxTest = Cases;
}

/// <summary>
/// The repair plan, applied (issue "a repair plan": tested by applying). Over generated roots with a random stack of the
/// repairable corrupters: write the root to disk, render <c>check --repair-plan</c>, run it with <c>sh</c> and
/// <c>DRY_RUN=0</c>, and check again: no finding of a repairable kind remains, every layer and mount that loaded before
/// still loads, the same script run a second time (dry) has nothing left to do, and a plan of the repaired root is empty.
/// </summary>
public class RepairPlanProperties
{
    /// <summary>Corrupter kinds whose finding the repair plan rebuilds from what is on disk.</summary>
    public static readonly ProblemKind[] Repairable = [.. RepairPlan.Repairable];

    /// <summary>Valid roots with a stack of 1-5 repairable corruptions.</summary>
    public static Gen<RootCase> Cases =>
        from valid in RootCaseGen.Valid
        from n in Gen.Choose(1, 5)
        from kinds in Gen.ArrayOf(Gen.Elements(Repairable), n)
        select valid with { Corruptions = kinds.ToSeq() };

    private static string Scratch() =>
        Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), "layerfn-repair-" + Guid.NewGuid().ToString("N"));

    private static CheckReport Check(string dir, GeneratedRoot model) =>
        Checker.Check(new CheckOptions(dir, model.Expected.Moby, model.Expected.Driver)).IfLeft(e => throw new InvalidOperationException(e));

    [Fact]
    public void The_repairable_kinds_all_have_corrupters() =>
        Assert.DoesNotContain(Repairable, k => !Corrupters.Kinds.Contains(k));

    /// <summary>Over any stack of corrupters (repairable or not, and the root-wide ones), with a quarantine folder: the plan
    /// runs without error, adds no error, and has nothing left to do when run again; what no longer loads is exactly what it
    /// moved to the quarantine (layers that cannot be recovered and everything on them), where it now is; and no layer of
    /// the repaired root is condemned any more.</summary>
    [RepairCasesProperty]
    public Property On_any_damaged_root_the_repair_plan_runs_cleanly_and_loses_only_what_it_quarantines() =>
        Prop.ForAll(RootCaseGen.Corrupted.ToArbitrary(), c =>
        {
            var dir = Scratch();
            var quarantine = dir + "-quarantine";
            try
            {
                RootWriter.Write(dir, c.Model).IfLeft(e => throw new InvalidOperationException(e));
                var before = Check(dir, c.Model);
                var plan = RepairPlan.Render(before, dir, Some(quarantine));
                var moved = RepairPlan.Quarantine(before).Map(m => m.Path).ToHashSet(StringComparer.Ordinal);
                var present = moved.Where(m => Path.Exists(Path.Combine(dir, m))).ToList();
                var (code, output) = PlanShell.Run(PlanShell.Armed(plan), Path.GetTempPath());
                if (code != 0) return false.Label($"the plan failed (exit {code}): {output}\n{plan}");
                var after = Check(dir, c.Model);
                var layerDb = before.LayerDb.IfNone("");
                var lostLayers = before.Store.Layers.Filter(l => !after.Store.Layers.Exists(a => a.ChainID == l.ChainID))
                    .Filter(l => !moved.Contains(layerDb + "/" + l.ChainID.Digest.FolderKey)).Map(l => l.ChainID.ToString()).ToList();
                var lostMounts = before.Store.Mounts.Map(m => m.Name).Except(after.Store.Mounts.Map(m => m.Name))
                    .Where(m => !moved.Contains(layerDb + "/mounts/" + m)).ToList();
                var notThere = present.Where(m => Path.Exists(Path.Combine(dir, m)) || !Path.Exists(Path.Combine(quarantine, m))).Order(StringComparer.Ordinal).ToList();
                static System.Collections.Generic.HashSet<string> Errors(CheckReport r) =>
                    r.Problems.Filter(p => p.Severity == Severity.Error).Map(p => $"{p.Kind.Id()} {p.Path}").ToHashSet(StringComparer.Ordinal);
                var added = Errors(after).Except(Errors(before)).ToList();
                var (_, again) = PlanShell.Run(plan, Path.GetTempPath());
                return (lostLayers.Count == 0 && lostMounts.Count == 0).Label($"lost by the repair, not quarantined: layers [{string.Join(", ", lostLayers)}], mounts [{string.Join(", ", lostMounts)}]")
                    .And((notThere.Count == 0).Label("not moved into the quarantine: " + string.Join(", ", notThere)))
                    .And((added.Count == 0).Label("errors the repair added: " + string.Join(", ", added)))
                    .And((again.Length == 0).Label("a second run still has work: " + again))
                    .And(RepairPlan.Quarantine(after).IsEmpty.Label("still condemned after the repair: " + string.Join(", ", RepairPlan.Quarantine(after).Map(m => m.Path))))
                    .And((after.Outcome == before.Outcome || after.Outcome == Drivers.Outcome.Loaded).Label($"outcome {before.Outcome.Id()} became {after.Outcome.Id()}"));
            }
            finally
            {
                if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
                if (Directory.Exists(quarantine)) Directory.Delete(quarantine, recursive: true);
            }
        });

    [RepairCasesProperty]
    public Property Applying_the_repair_plan_leaves_no_repairable_finding_and_loses_nothing_that_loaded() =>
        Prop.ForAll(Cases.ToArbitrary(), c =>
        {
            var dir = Scratch();
            try
            {
                RootWriter.Write(dir, c.Model).IfLeft(e => throw new InvalidOperationException(e));
                var before = Check(dir, c.Model);
                var plan = RepairPlan.Render(before, dir);
                var (code, output) = PlanShell.Run(PlanShell.Armed(plan), Path.GetTempPath());
                if (code != 0) return false.Label($"the plan failed (exit {code}): {output}\n{plan}");
                var after = Check(dir, c.Model);
                var left = after.Problems.Filter(p => Repairable.Contains(p.Kind)).Map(p => $"{p.Kind.Id()} {p.Path}").ToList();
                var lostLayers = before.Store.Layers.Map(l => l.ChainID).Except(after.Store.Layers.Map(l => l.ChainID)).Select(x => x.ToString()).ToList();
                var lostMounts = before.Store.Mounts.Map(m => m.Name).Except(after.Store.Mounts.Map(m => m.Name)).ToList();
                var (_, again) = PlanShell.Run(plan, Path.GetTempPath());
                return (left.Count == 0).Label("still reported after the repair: " + string.Join(", ", left))
                    .And((lostLayers.Count == 0 && lostMounts.Count == 0).Label($"lost by the repair: layers [{string.Join(", ", lostLayers)}], mounts [{string.Join(", ", lostMounts)}]"))
                    .And((again.Length == 0).Label("a second run still has work: " + again))
                    .And(after.Repairs.IsEmpty.Label("the repaired root still has a repair plan: " + string.Join(", ", after.Repairs.Map(a => a.Path))));
            }
            finally
            {
                if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
            }
        });
}
