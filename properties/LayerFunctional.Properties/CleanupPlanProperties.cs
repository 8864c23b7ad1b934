using FsCheck;
using FsCheck.Fluent;
using LanguageExt;
using LayerFunctional.Generation;
using static LanguageExt.Prelude;

namespace LayerFunctional.Properties;

/// <summary>
/// The clean-up plan is safe by construction (report.md: "the clean-up plan lists nothing that any file of the root
/// names"), over generated roots with random stacks of corrupters: it never lists a driver folder that a layer or mount
/// folder of the layerdb names (a cache ID, a mount ID, an init ID, or a mount's other folder: <c>X</c> for an init ID
/// <c>X-init</c>, <c>X-init</c> for a mount ID <c>X</c>), and a check of the root with the plan applied loads exactly
/// the layers (with their reference counts) and mounts it loaded before.
/// </summary>
public class CleanupPlanProperties
{
    private const string LayerDb = RootGenerator.LayerDb;

    /// <summary>The driver folders the layerdb's files name, read from the model's files (not from the checker), with the
    /// file that names each. Text is trimmed as moby trims these files.</summary>
    internal static Seq<(string Folder, string NamedBy)> NamedFolders(GeneratedRoot model)
    {
        var named = new List<(string, string)>();
        foreach (var e in model.Entries)
        {
            if (e is not GeneratedEntry.File f) continue;
            var parts = f.Path.Split('/');
            // image/overlay2/layerdb/{sha256,mounts}/<folder>/<file>
            if (parts.Length != 6 || !f.Path.StartsWith(LayerDb + "/", StringComparison.Ordinal)) continue;
            var text = System.Text.Encoding.UTF8.GetString(f.Bytes).Trim();
            if (text.Length == 0 || text.Contains('/')) continue;
            switch (parts[3], parts[5])
            {
                // A -removing folder is an interrupted removal: its driver folder is cleaned with it.
                case ("sha256", "cache-id") when !parts[4].EndsWith("-removing", StringComparison.Ordinal):
                    named.Add(("overlay2/" + text, f.Path));
                    break;
                case ("mounts", "mount-id"):
                    named.Add(("overlay2/" + text, f.Path));
                    named.Add(("overlay2/" + text + "-init", f.Path));
                    break;
                case ("mounts", "init-id"):
                    named.Add(("overlay2/" + text, f.Path));
                    if (text.EndsWith("-init", StringComparison.Ordinal)) named.Add(("overlay2/" + text[..^5], f.Path));
                    break;
            }
        }
        return named.ToSeq().Strict();
    }

    private static string Load(CheckReport report) =>
        string.Join(", ", report.Store.Layers.Map(l => $"{l.ChainID} {l.ReferenceCount}").Order(StringComparer.Ordinal))
        + " | " + string.Join(", ", report.Store.Mounts.Map(m => m.Name).Order(StringComparer.Ordinal));

    [CasesProperty]
    public Property The_cleanup_plan_never_lists_a_folder_a_layerdb_file_names_and_applying_it_loses_nothing_that_loaded(RootCase c)
    {
        var model = c.Model;
        var report = GeneratedRootProperties.CheckInMemory(model);
        var named = NamedFolders(model);
        var unsafeItems = report.Cleanup
            .Choose(item => named.Find(n => n.Folder == item.Path || n.Folder.StartsWith(item.Path + "/", StringComparison.Ordinal))
                .Map(n => $"{item.Path} (named by {n.NamedBy})"))
            .ToList();
        if (unsafeItems.Count > 0) return false.Label("the clean-up plan lists " + string.Join(", ", unsafeItems));
        var cleaned = report.Cleanup.Fold(model, (m, item) => m.Without(item.Path));
        var after = GeneratedRootProperties.CheckInMemory(cleaned);
        var (before, afterLoad) = (Load(report), Load(after));
        return (before == afterLoad).Label($"the load changed after clean-up: before [{before}], after [{afterLoad}]");
    }
}
