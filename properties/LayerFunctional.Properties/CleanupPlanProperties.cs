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

    /// <summary>The driver folders of layer folders whose <c>cache-id</c> a corruption removed or blanked, from the
    /// model's layers: such a folder holds the layer's content, recoverable by restoring the cache-id, so no plan may
    /// delete it. An empty layer folder (<c>layer_dir_empty</c>) names nothing: it is taken for the last step of a
    /// removal, and no metadata is left to recover the layer by.</summary>
    internal static Seq<(string Folder, string NamedBy)> LostCacheFolders(GeneratedRoot model)
    {
        var files = model.Entries.OfType<GeneratedEntry.File>().ToDictionary(f => f.Path, StringComparer.Ordinal);
        // Folders that hold an entry (the model lists files, and folders only when empty).
        var folders = model.Entries.SelectMany(e => Ancestors(e.Path).Skip(1)).ToHashSet(StringComparer.Ordinal);
        return model.Layers
            .Filter(l => folders.Contains(l.Folder)
                         && (!files.TryGetValue(l.Folder + "/cache-id", out var f) || System.Text.Encoding.UTF8.GetString(f.Bytes).Trim().Length == 0))
            .Map(l => ("overlay2/" + l.CacheID, l.Folder + "/cache-id (missing or blank)"))
            .Strict();
    }

    /// <summary>The read-write and init folders of every container of the model that still has its config: they hold its
    /// data whether or not its mount folder is there (a container whose mount folder is gone names them through nothing).</summary>
    internal static Seq<(string Folder, string NamedBy)> ContainerFolders(GeneratedRoot model)
    {
        var configs = model.Entries.Map(e => e.Path).Filter(p => p.StartsWith("containers/", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        return model.Mounts.Filter(m => configs.Contains($"containers/{m.Name}/config.v2.json"))
            .Bind(m => Seq(("overlay2/" + m.MountID, $"containers/{m.Name}"), ("overlay2/" + m.InitID, $"containers/{m.Name}")))
            .Strict();
    }

    private static IEnumerable<string> Ancestors(string path)
    {
        for (var p = path; p.Length > 0; p = p.Contains('/') ? p[..p.LastIndexOf('/')] : "") yield return p;
    }

    private static string Load(CheckReport report) =>
        string.Join(", ", report.Store.Layers.Map(l => $"{l.ChainID} {l.ReferenceCount}").Order(StringComparer.Ordinal))
        + " | " + string.Join(", ", report.Store.Mounts.Map(m => m.Name.Value).Order(StringComparer.Ordinal));

    [CasesProperty]
    public Property The_cleanup_plan_never_lists_a_folder_a_layerdb_file_names_and_applying_it_loses_nothing_that_loaded(RootCase c)
    {
        var model = c.Model;
        var report = GeneratedRootProperties.CheckInMemory(model);
        var named = NamedFolders(model) + LostCacheFolders(model) + ContainerFolders(model);
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
