using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using LanguageExt;

namespace LayerFunctional;

/// <summary>
/// Renders a <see cref="CheckReport"/> as report.md's JSON (<c>layerfunctional.report/1</c>): fixed key
/// order, lists in the report's sorted order, UTF-8, two-space indentation, a final newline. The same
/// report always gives the same bytes.
/// </summary>
public static class ReportJson
{
    /// <summary>The schema identifier written as <c>schema</c>.</summary>
    public const string Schema = "layerfunctional.report/1";

    /// <summary>Serialises a report.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The JSON text, ending with a newline.</returns>
    public static string Render(CheckReport report)
    {
        using var buffer = new MemoryStream();
        Write(report, buffer);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Serialises a report straight into a stream (UTF-8, ending with a newline), without building
    /// the text in memory: what the CLI does for a large store.</summary>
    /// <param name="report">The report.</param>
    /// <param name="output">Where to write; left open.</param>
    public static void Write(CheckReport report, Stream output)
    {
        using (var w = new Utf8JsonWriter(output, new JsonWriterOptions
               {
                   Indented = true,
                   Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
                   MaxDepth = 16,
               }))
        {
            w.WriteStartObject();
            w.WriteString("schema", Schema);
            w.WriteString("root", report.Root);
            w.WriteString("moby", report.Moby.ToString());
            w.WriteStartObject("driver");
            WriteOptional(w, "name", report.Driver.Name.Map(n => n.Value));
            WriteOptional(w, "selected_by", report.Driver.SelectedBy.Map(s => s.Id()));
            w.WriteStartArray("prior_state");
            foreach (var n in report.Driver.PriorState) w.WriteStringValue(n.Value);
            w.WriteEndArray();
            w.WriteString("reason", report.Driver.Reason);
            w.WriteEndObject();
            w.WriteString("outcome", report.Outcome.Id());
            WriteOptional(w, "layerdb", report.LayerDb);

            w.WriteStartArray("layers");
            foreach (var l in report.Store.Layers)
            {
                w.WriteStartObject();
                WriteDigest(w, "chain_id", l.ChainID.Digest);
                WriteDigest(w, "diff_id", l.DiffID.Digest);
                w.WriteNumber("size", l.Size);
                w.WriteString("cache_id", l.CacheID.Value);
                if (l.Parent.TrySome(out var parent)) WriteDigest(w, "parent", parent.Digest);
                else w.WriteNull("parent");
                w.WriteNumber("ref_count", l.ReferenceCount);
                w.WriteNumber("depth", l.Depth);
                w.WriteNumber("image_refs", report.ImageRefs.Find(l.ChainID).IfNone(0));
                if (!l.Listed) w.WriteBoolean("listed", false);
                w.WriteEndObject();
                FlushWhenFull(w);
            }
            w.WriteEndArray();

            w.WriteStartArray("skipped_layers");
            foreach (var s in report.Store.SkippedLayers)
            {
                w.WriteStartObject();
                w.WriteString("chain_id", s.ChainID.ToString());
                w.WriteString("kind", s.Kind.Id());
                w.WriteString("path", s.Path);
                w.WriteEndObject();
                FlushWhenFull(w);
            }
            w.WriteEndArray();

            w.WriteStartArray("mounts");
            foreach (var m in report.Store.Mounts)
            {
                w.WriteStartObject();
                w.WriteString("name", m.Name.Value);
                w.WriteString("mount_id", m.MountID.Value);
                WriteOptional(w, "init_id", m.InitID.Map(i => i.Value));
                WriteOptional(w, "parent", m.Parent.Map(p => p.ToString()));
                var container = report.Containers.Find(m.Name);
                WriteOptional(w, "container_name", container.Bind(c => c.Name));
                WriteOptional(w, "image", container.Bind(c => c.Image));
                w.WriteEndObject();
                FlushWhenFull(w);
            }
            w.WriteEndArray();

            w.WriteStartArray("skipped_mounts");
            foreach (var s in report.Store.SkippedMounts)
            {
                w.WriteStartObject();
                w.WriteString("name", s.Name.Value);
                w.WriteString("kind", s.Kind.Id());
                w.WriteString("path", s.Path);
                w.WriteEndObject();
                FlushWhenFull(w);
            }
            w.WriteEndArray();

            w.WriteStartArray("images");
            foreach (var i in report.Images)
            {
                w.WriteStartObject();
                w.WriteString("id", i.Id);
                WriteOptional(w, "top_chain_id", i.TopChainId.Map(c => c.ToString()));
                w.WriteBoolean("loads", i.Loads);
                w.WriteEndObject();
                FlushWhenFull(w);
            }
            w.WriteEndArray();

            w.WriteStartArray("containers");
            foreach (var c in report.Containers.Values.OrderBy(c => c.Id))
            {
                w.WriteStartObject();
                w.WriteString("id", c.Id.Value);
                WriteOptional(w, "name", c.Name);
                WriteOptional(w, "image", c.Image);
                WriteOptional(w, "driver", c.Driver.Map(d => d.Value));
                w.WriteString("restore", c.Fate.Id());
                w.WriteBoolean("listed", c.Listed);
                w.WriteEndObject();
                FlushWhenFull(w);
            }
            w.WriteEndArray();

            w.WriteStartArray("problems");
            foreach (var p in report.Problems)
            {
                w.WriteStartObject();
                w.WriteString("kind", p.Kind.Id());
                w.WriteString("severity", p.Severity.Name());
                w.WriteString("path", p.Path);
                if (p.ChainId.TrySome(out var chain)) WriteDigest(w, "chain_id", chain.Digest);
                p.Mount.IfSome(m => w.WriteString("mount", m.Value));
                p.CacheId.IfSome(c => w.WriteString("cache_id", c));
                w.WriteString("message", Explain.Message(p));
                w.WriteString("consequence", Explain.Consequence(p));
                p.Bytes.IfSome(b => w.WriteNumber("bytes", b));
                if (p.CausedBy.TrySome(out var cause))
                {
                    w.WriteStartObject("caused_by");
                    w.WriteString("kind", cause.Kind.Id());
                    w.WriteString("path", cause.Path);
                    w.WriteEndObject();
                }
                w.WriteEndObject();
                FlushWhenFull(w);
            }
            w.WriteEndArray();
            w.WriteStartArray("cleanup");
            foreach (var c in report.Cleanup)
            {
                w.WriteStartObject();
                w.WriteString("path", c.Path);
                w.WriteString("reason", c.Reason.Id());
                w.WriteNumber("bytes", c.Bytes.IfNone(0));
                w.WriteString("note", c.Note);
                w.WriteEndObject();
                FlushWhenFull(w);
            }
            w.WriteEndArray();
            w.WriteNumber("orphan_bytes", report.OrphanBytes);
            report.Content.IfSome(content => WriteContent(w, content));
            report.Containerd.IfSome(store => WriteContainerd(w, store));
            if (!report.ImageStores.IsEmpty) WriteImageStores(w, report.ImageStores);
            foreach (var forecast in report.Migration.Filter(f => f is not Drivers.MigrationForecast.NotRequested))
                WriteMigration(w, forecast);
            w.WriteEndObject();
        }
        output.WriteByte((byte)'\n');
    }

    // Only when features.containerd-migration is set: what the next start does.
    private static void WriteMigration(Utf8JsonWriter w, Drivers.MigrationForecast forecast)
    {
        w.WriteStartObject("migration");
        switch (forecast)
        {
            case Drivers.MigrationForecast.NotAttempted n:
                w.WriteString("forecast", "not_attempted");
                w.WriteString("reason", n.Why);
                break;
            case Drivers.MigrationForecast.StaysOnGraphDriver s:
                w.WriteString("forecast", "stays_on_graph_driver");
                w.WriteNumber("images", s.Images);
                w.WriteNumber("total_bytes", s.TotalBytes);
                w.WriteNumber("threshold", s.Threshold);
                break;
            case Drivers.MigrationForecast.Switches s:
                w.WriteString("forecast", "switches");
                w.WriteString("snapshotter", s.Snapshotter);
                w.WriteNumber("images", s.Images);
                w.WriteNumber("total_bytes", s.TotalBytes);
                w.WriteNumber("threshold", s.Threshold);
                w.WriteNumber("containerd_images", s.ContainerdImages);
                w.WriteBoolean("images_visible", s.Images == 0 || (s.ContainerdImages == 0 && s.Failing.IsEmpty));
                w.WriteStartArray("failing");
                foreach (var p in s.Failing) w.WriteStringValue(p.Path);
                w.WriteEndArray();
                break;
        }
        w.WriteEndObject();
    }

    // Only when the root holds both a graph-driver store and a containerd store: each, and what only the hidden one has.
    private static void WriteImageStores(Utf8JsonWriter w, Seq<ImageStoreSummary> stores)
    {
        static void Images(Utf8JsonWriter w, IEnumerable<StoredImage> images)
        {
            foreach (var image in images)
            {
                w.WriteStartObject();
                w.WriteString("config_digest", image.ConfigDigest);
                w.WriteStartArray("names");
                foreach (var name in image.Names) w.WriteStringValue(name);
                w.WriteEndArray();
                w.WriteEndObject();
                FlushWhenFull(w);
            }
        }
        w.WriteStartArray("image_stores");
        foreach (var store in stores)
        {
            w.WriteStartObject();
            w.WriteString("kind", store.Kind == ImageStoreKind.Containerd ? "containerd" : "graphdriver");
            w.WriteString("name", store.Name);
            w.WriteString("where", store.Where);
            w.WriteBoolean("shown", store.Shown);
            w.WriteNumber("bytes", store.Bytes);
            w.WriteStartArray("images");
            Images(w, store.Images);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("only_in_hidden_store");
        Images(w, ImageStores.OnlyInHidden(stores).Map(x => x.Image));
        w.WriteEndArray();
    }

    // Only when dockerd uses the containerd image store: what it will list there (ctr -n moby images ls, snapshots ls).
    private static void WriteContainerd(Utf8JsonWriter w, Containerd.ContainerdStoreView store)
    {
        w.WriteStartObject("containerd");
        w.WriteString("root", store.Root);
        w.WriteString("snapshotter", store.Snapshotter);
        w.WriteBoolean("found", store.Found);
        w.WriteStartArray("images");
        foreach (var image in store.Images)
        {
            w.WriteStartObject();
            w.WriteString("name", image.Name);
            w.WriteString("target", image.TargetDigest);
            w.WriteString("media_type", image.MediaType);
            image.Size.IfSome(size => w.WriteNumber("size", size));
            w.WriteEndObject();
            FlushWhenFull(w);
        }
        w.WriteEndArray();
        w.WriteStartArray("snapshots");
        foreach (var snapshot in store.Snapshots)
        {
            w.WriteStartObject();
            w.WriteString("key", snapshot.Key);
            WriteOptional(w, "parent", snapshot.Parent);
            w.WriteString("kind", Containerd.SnapshotKinds.Id(snapshot.Kind));
            w.WriteEndObject();
            FlushWhenFull(w);
        }
        w.WriteEndArray();
        w.WriteNumber("blobs", store.Blobs);
        w.WriteNumber("blob_bytes", store.BlobBytes);
        w.WriteStartArray("containers");
        foreach (var id in store.Containers) w.WriteStringValue(id);
        w.WriteEndArray();
        w.WriteStartArray("leases");
        foreach (var id in store.Leases) w.WriteStringValue(id);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    // Only with --content: one object per verified layer, in chain-ID order.
    private static void WriteContent(Utf8JsonWriter w, Seq<LayerFunctional.Content.LayerContent> content)
    {
        w.WriteStartArray("content");
        foreach (var c in content)
        {
            w.WriteStartObject();
            w.WriteString("chain_id", c.ChainID.ToString());
            w.WriteString("path", c.ContentPath);
            switch (c.Verdict)
            {
                case LayerFunctional.Content.ContentVerdict.Verified v:
                    w.WriteString("status", "verified");
                    w.WriteNumber("tar_bytes", v.TarBytes);
                    w.WriteNumber("entries", v.Files);
                    break;
                case LayerFunctional.Content.ContentVerdict.Differs d:
                    w.WriteString("status", "differs");
                    w.WriteString("difference", LayerFunctional.Content.DifferenceKinds.Id(d.Difference.Kind));
                    WriteOptional(w, "file", d.Difference.File);
                    w.WriteString("detail", d.Difference.Detail);
                    break;
                case LayerFunctional.Content.ContentVerdict.NotVerified n:
                    w.WriteString("status", "not_verified");
                    w.WriteString("reason", n.Reason);
                    break;
            }
            w.WriteEndObject();
            FlushWhenFull(w);
        }
        w.WriteEndArray();
    }

    // Utf8JsonWriter keeps everything it wrote until it is flushed: without this a 100,000-layer report (52 MB)
    // was held whole, in doubling buffers, before the first byte reached the stream.
    private static void FlushWhenFull(Utf8JsonWriter w)
    {
        // Stryker disable once all : equivalent mutants (flushing sooner or later writes the same bytes)
        if (w.BytesPending >= FlushThreshold) w.Flush();
    }

    private const int FlushThreshold = 64 * 1024;

    // A digest as its text, written from its bytes (no string per layer).
    private static void WriteDigest(Utf8JsonWriter w, string name, Digest digest)
    {
        Span<byte> text = stackalloc byte[digest.TextLength];
        w.WriteString(name, text[..digest.WriteAscii(text)]);
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, Option<string> value) =>
        value.Match(Some: v => w.WriteString(name, v), None: () => w.WriteNull(name));
}
