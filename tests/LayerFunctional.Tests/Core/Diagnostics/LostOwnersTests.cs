using System.Text;
using LanguageExt;
using LayerFunctional.Edge;
using LayerFunctional.Generation;
using static LanguageExt.Prelude;

namespace LayerFunctional.Tests.Core.Diagnostics;

/// <summary>
/// Folders matched back to an owner that lost the file naming them (<see cref="LayerFunctional.Diagnostics.LostOwners"/>):
/// a layer's lost cache-id from the lower files above it, only when every lower agrees with the chain; a container's lost
/// mount folder from the only pair on its image's top layer. Generated roots, one file changed at a time.
/// </summary>
public class LostOwnersTests
{
    private static CheckReport Check(GeneratedRoot model) =>
        Checker.CheckGenerated(new CheckOptions("/m", MobyVersion.Default, None), model).IfLeft(e => throw new Xunit.Sdk.XunitException(e));

    private static GeneratedRoot Model(long seed) => RootGenerator.Generate(seed, new GeneratorOptions(Layers: 7, Mounts: 3, Images: 1));

    /// <summary>The lower files of the folders above a layer: of the layers on it (and on those), and of the init folders of the
    /// mounts on any of them, by path.</summary>
    private static Seq<string> LowersAbove(GeneratedRoot model, GeneratedLayer layer)
    {
        bool Above(Option<ChainID> at)
        {
            for (; at.Case is ChainID c; at = model.Layers.Find(l => l.ChainID == c).Bind(l => l.Parent))
                if (c == layer.ChainID) return true;
            return false;
        }
        return model.Layers.Filter(l => l.ChainID != layer.ChainID && Above(Some(l.ChainID))).Map(l => l.CacheID)
            .Concat(model.Mounts.Filter(m => Above(Some(m.Parent))).Map(m => m.InitID))
            .Map(id => $"overlay2/{id}/lower").Order(StringComparer.Ordinal).ToSeq().Strict();
    }

    // The layer folder's unregistered finding, or the orphan finding of its driver folder.
    private static Option<Fact> FactOf(CheckReport report, GeneratedLayer layer) =>
        report.Problems.Find(p => p.Path == "overlay2/" + layer.CacheID && p.Kind is ProblemKind.UnregisteredDriverDir or ProblemKind.OrphanDriverDir).Map(p => p.Fact);

    private static GeneratedLayer LayerWith(GeneratedRoot model, Func<Seq<string>, bool> lowers) =>
        model.Layers.Find(l => lowers(LowersAbove(model, l))).IfNone(() => throw new Xunit.Sdk.XunitException("no such layer in the model"));

    private static GeneratedRoot Lost(GeneratedRoot model, GeneratedLayer layer) => model.Without(layer.Folder + "/cache-id");

    private static GeneratedRoot Write(GeneratedRoot model, string path, string text) =>
        model.With(new GeneratedEntry.File(path, Encoding.ASCII.GetBytes(text)));

    private static string Text(GeneratedRoot model, string path) =>
        Encoding.ASCII.GetString(model.FileAt(path).IfNone(() => throw new Xunit.Sdk.XunitException(path)));

    [Fact]
    public void Of_several_lower_files_that_place_the_folder_the_first_by_path_is_named()
    {
        var model = Model(1);
        var layer = LayerWith(model, lowers => lowers.Count >= 2);
        var report = Check(Lost(model, layer));
        Assert.Equal(Some<Fact>(new Fact.LayerFolderUnregistered(layer.ChainID, layer.Folder + "/cache-id", LowersAbove(model, layer).Head)), FactOf(report, layer));
    }

    [Fact]
    public void An_init_folder_alone_places_the_top_layer_of_its_image()
    {
        var model = Model(2);
        var top = LayerWith(model, lowers => lowers.Count > 0 && lowers.ForAll(l => l.EndsWith("-init/lower", StringComparison.Ordinal)));
        var report = Check(Lost(model, top));
        Assert.Equal(Some<Fact>(new Fact.LayerFolderUnregistered(top.ChainID, top.Folder + "/cache-id", LowersAbove(model, top).Head)), FactOf(report, top));
    }

    [Theory]
    [InlineData("another folder at another place")]
    [InlineData("one entry short")]
    [InlineData("one entry more")]
    [InlineData("two lowers that disagree")]
    public void A_lower_file_that_does_not_agree_with_the_chain_places_nothing(string how)
    {
        // A layer with a parent (never the last entry of a lower) and two folders above it.
        var (model, layer) = Enumerable.Range(1, 100).Select(seed => Model(seed))
            .SelectMany(m => m.Layers.Filter(l => l.Parent.IsSome && LowersAbove(m, l).Count >= 2).Take(1).Map(l => (m, l)))
            .First();
        var lowers = LowersAbove(model, layer);
        var damaged = Lost(model, layer);
        foreach (var lower in how == "two lowers that disagree" ? lowers.Take(1) : lowers)
        {
            var entries = Text(model, lower).Split(':').ToList();
            var at = entries.IndexOf("l/" + layer.OverlayLink);
            var other = model.Layers.Find(l => entries.All(e => e != "l/" + l.OverlayLink)).Map(l => "l/" + l.OverlayLink)
                .IfNone(() => throw new Xunit.Sdk.XunitException("every layer is in " + lower));
            switch (how)
            {
                case "another folder at another place":
                    entries[at == 0 ? 1 : 0] = other;
                    break;
                case "one entry short":
                    entries.RemoveAt(entries.Count - 1);
                    break;
                case "one entry more":
                    entries.Add(other);
                    break;
                default:   // this lower places another folder at the layer's place; the others still place the layer's
                    entries[at] = other;
                    break;
            }
            damaged = Write(damaged, lower, string.Join(':', entries));
        }
        // No layerdb file names the folder, and lower files still go through it: an orphan kept out of the clean-up plan.
        var report = Check(damaged);
        Assert.Equal(Some<Fact>(new Fact.OrphanFolder(InLowerChain: true)), FactOf(report, layer));
        Assert.DoesNotContain(report.Cleanup, c => c.Path == "overlay2/" + layer.CacheID);
    }

    [Fact]
    public void A_short_link_whose_folder_has_no_diff_places_nothing()
    {
        var model = Model(4);
        var layer = LayerWith(model, lowers => lowers.Count >= 1);
        var report = Check(Lost(model, layer).Without($"overlay2/{layer.CacheID}/diff"));
        Assert.IsType<Fact.OrphanFolder>(FactOf(report, layer).IfNone(() => throw new Xunit.Sdk.XunitException("no finding")));
    }

    [Fact]
    public void An_empty_layer_folder_is_a_removal_s_last_step_not_a_lost_cache_id()
    {
        // A base layer: the lower files above end at its place, so they would place its folder if it counted as lost.
        var model = Model(5);
        var layer = model.Layers.Find(l => l.Parent.IsNone && LowersAbove(model, l).Count >= 1).IfNone(() => throw new Xunit.Sdk.XunitException("no base layer with layers on it"));
        var emptied = model.Entries.Filter(e => e.Path.StartsWith(layer.Folder + "/", StringComparison.Ordinal)).Fold(model, (m, e) => m.Without(e.Path))
            .With(new GeneratedEntry.Folder(layer.Folder));
        var report = Check(emptied);
        Assert.Contains(report.Problems, p => p.Kind == ProblemKind.LayerDirEmpty);
        Assert.DoesNotContain(report.Problems, p => p.Kind == ProblemKind.UnregisteredDriverDir);
        Assert.DoesNotContain(report.Repairs, a => a.Step == RepairStep.WriteCacheId);
    }

    [Fact]
    public void A_container_without_its_mount_shares_its_image_with_another_only_pair_is_left_alone()
    {
        // Two containers of one image lose their mount folders; one also loses its folders: the one pair left on the image's
        // top layer could be either's.
        var model = RootGenerator.Generate(5, new GeneratorOptions(Layers: 6, Mounts: 2, Images: 1));
        var (kept, gone) = (model.Mounts[0], model.Mounts[1]);
        Assert.Equal(kept.Parent, gone.Parent);
        var report = Check(model.Without(kept.Folder).Without(gone.Folder).Without("overlay2/" + gone.MountID).Without("overlay2/" + gone.InitID));
        Assert.Equal(2, report.Problems.Count(p => p.Kind == ProblemKind.ContainerWithoutMount));
        Assert.Equal(Seq("overlay2/" + kept.MountID, "overlay2/" + kept.InitID).Order(StringComparer.Ordinal),
            report.Problems.Filter(p => p.Kind == ProblemKind.OrphanDriverDir).Map(p => p.Path).Order(StringComparer.Ordinal));
        Assert.Empty(report.Repairs);
    }

    [Fact]
    public void A_container_whose_image_top_layer_has_no_short_link_to_its_diff_gets_no_match()
    {
        var model = Corrupters.Generate(6, new GeneratorOptions(Layers: 5, Mounts: 1, Images: 1), Seq1(ProblemKind.ContainerWithoutMount))
            .IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        var mount = model.Mounts.Last;
        var top = model.Layers.Find(l => l.ChainID == mount.Parent).IfNone(() => throw new Xunit.Sdk.XunitException("no top"));
        var report = Check(model.Without($"overlay2/{top.CacheID}/diff"));
        Assert.Equal(Seq("overlay2/" + mount.MountID, "overlay2/" + mount.InitID).Order(StringComparer.Ordinal),
            report.Problems.Filter(p => p.Kind == ProblemKind.OrphanDriverDir).Map(p => p.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_pair_whose_read_write_folder_a_leftover_names_is_not_the_container_s()
    {
        var model = Corrupters.Generate(6, new GeneratorOptions(Layers: 5, Mounts: 1, Images: 1), Seq1(ProblemKind.ContainerWithoutMount))
            .IfLeft(e => throw new Xunit.Sdk.XunitException(e));
        var mount = model.Mounts.Last;
        var leftover = $"{RootGenerator.LayerDb}/sha256/{new string('e', 64)}-removing";
        var report = Check(Write(model, leftover + "/cache-id", mount.MountID));
        Assert.DoesNotContain(report.Problems, p => p.Kind == ProblemKind.UnregisteredDriverDir);
        Assert.DoesNotContain(report.Repairs, a => a.Step == RepairStep.CreateMountFolder);
    }

    // The review's cases (2026-12-05): each damage once, on a root with two containers of one image. The clean-up plan
    // lists no folder of a layer or a container, and the repair plan gives no container another's folders.
    private static (GeneratedRoot Model, GeneratedMount C0, GeneratedMount C1) TwoContainers()
    {
        var model = RootGenerator.Generate(1, new GeneratorOptions(Layers: 6, Mounts: 2, Images: 1));
        return (model, model.Mounts[0], model.Mounts[1]);
    }

    // Driver folders the clean-up plan lists (dangling l/ links of folders that are gone are its business).
    private static Seq<string> Planned(CheckReport report) => report.Cleanup.Map(c => c.Path).Filter(p => !p.StartsWith("overlay2/l/", StringComparison.Ordinal));

    private static Seq<string> MountIdsWritten(CheckReport report) =>
        report.Repairs.Filter(a => a.Step == RepairStep.WriteMountId).Map(a => a.Value);

    [Fact]
    public void A_container_whose_own_pair_cannot_be_placed_gets_no_other_pair_and_keeps_its_folders()
    {
        var (model, c0, c1) = TwoContainers();
        var init0 = model.Entries.Find(e => e.Path == $"overlay2/{c0.InitID}/link").Map(e => Encoding.ASCII.GetString(((GeneratedEntry.File)e).Bytes)).IfNone("");
        // c1 removed with its folders left behind; c0's mount folder gone and its init folder's short link too.
        var report = Check(model.Without(c0.Folder).Without(c1.Folder).Without("containers/" + c1.Name).Without("overlay2/l/" + init0));
        Assert.Empty(MountIdsWritten(report));
        Assert.Empty(Planned(report));
    }

    [Fact]
    public void A_container_whose_config_cannot_be_read_or_a_mount_without_ids_is_a_rival_claim()
    {
        var (model, c0, c1) = TwoContainers();
        var unreadable = model.Without(c0.Folder).Without(c1.Folder).With(new GeneratedEntry.File($"containers/{c1.Name}/config.v2.json", "{garbage"u8.ToArray()));
        Assert.Empty(MountIdsWritten(Check(unreadable)));
        var noIds = model.Without(c1.Folder + "/mount-id").Without(c1.Folder + "/init-id").Without(c0.Folder)
            .Without("overlay2/" + c0.MountID).Without("overlay2/" + c0.InitID);
        var report = Check(noIds);
        Assert.Empty(MountIdsWritten(report));
        Assert.Empty(Planned(report));
    }

    [Fact]
    public void A_mount_without_its_ids_and_a_container_without_its_init_folder_keep_their_folders()
    {
        var (model, c0, c1) = TwoContainers();
        var noIds = Check(model.Without(c1.Folder + "/mount-id").Without(c1.Folder + "/init-id"));
        Assert.DoesNotContain("overlay2/" + c1.MountID, Planned(noIds));
        Assert.DoesNotContain("overlay2/" + c1.InitID, Planned(noIds));
        Assert.Contains(noIds.Problems, p => p is { Kind: ProblemKind.OrphanDriverDir, Fact: Fact.OrphanFolder { UnreadNamer.IsSome: true } });
        var noInit = Check(model.Without(c0.Folder).Without("overlay2/" + c0.InitID));
        Assert.DoesNotContain("overlay2/" + c0.MountID, Planned(noInit));
    }

    [Fact]
    public void A_cache_id_that_names_no_folder_or_another_layer_s_keeps_every_orphan()
    {
        var model = Model(1);
        var layer = model.Layers.Last;
        var other = model.Layers.Head;
        var truncated = Check(Write(model, layer.Folder + "/cache-id", layer.CacheID[..63]));
        Assert.DoesNotContain("overlay2/" + layer.CacheID, Planned(truncated));
        Assert.Contains(truncated.Problems, p => p.Path == "overlay2/" + layer.CacheID && p.Fact is Fact.OrphanFolder { UnreadNamer.IsSome: true });
        var shared = Check(Write(model, layer.Folder + "/cache-id", other.CacheID));
        Assert.DoesNotContain("overlay2/" + layer.CacheID, Planned(shared));
    }
}
