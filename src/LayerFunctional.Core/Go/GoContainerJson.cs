using System.Text.Json;
using System.Text.RegularExpressions;
using LanguageExt;

namespace LayerFunctional.Go;

/// <summary>
/// The fields of <c>containers/&lt;id&gt;/config.v2.json</c> that moby's container restore reads, as Go's
/// <c>json.Decoder</c> leaves them in a <c>container.Container</c> made by <c>newBaseContainer</c>
/// (daemon/container.go <c>load</c>, container/container.go <c>FromDisk</c>).
/// </summary>
/// <param name="Id">The <c>ID</c> field ("" when absent or null).</param>
/// <param name="Name">The <c>Name</c> field, e.g. <c>/web-1</c> ("" when absent).</param>
/// <param name="Driver">The graph driver it was created with ("" when absent).</param>
/// <param name="OS">The <c>OS</c> field; <c>FromDisk</c> sets "linux" when it is empty.</param>
/// <param name="Image">The image ID (<c>Image</c>, "" when absent).</param>
/// <param name="HasConfig">True when <c>Config</c> is a JSON object: absent or null leaves the pointer nil, and
/// <c>Daemon.Register</c> dereferences it (<c>c.Config.OpenStdin</c>) in every release.</param>
/// <param name="HasState">False when <c>State</c> is JSON null (the decoder sets the pointer nil; absent keeps
/// <c>newBaseContainer</c>'s state): the restore's <c>c.IsRunning()</c> then dereferences nil.</param>
public sealed record ContainerConfigFields(MountName Id, string Name, DriverName Driver, string OS, string Image, bool HasConfig, bool HasState)
{
    /// <summary>True when <c>NetworkSettings</c> is a JSON object (<c>newBaseContainer</c> leaves it nil): from 27.0 the
    /// restore's default-network migration reads <c>c.NetworkSettings.Networks</c> when the network mode is <c>default</c>.</summary>
    public bool HasNetworkSettings { get; init; }
}

/// <summary>The field of <c>hostconfig.json</c> that the restore reads before it can fail.</summary>
/// <param name="NetworkMode">The <c>NetworkMode</c> field, e.g. <c>default</c>, <c>bridge</c>, <c>none</c> ("" when absent).</param>
public sealed record HostConfigFields(string NetworkMode);

/// <summary>
/// Go's <c>json.NewDecoder(f).Decode(container)</c> for <c>config.v2.json</c> and <c>Decode(&amp;container.HostConfig)</c>
/// for <c>hostconfig.json</c>: the first JSON value is decoded and anything after it is never read; keys match
/// fields case-insensitively, a later key wins; a value of the wrong JSON kind for a top-level field fails the
/// decode (Go's <c>UnmarshalTypeError</c>). Type errors nested inside <c>Config</c>, <c>State</c>,
/// <c>NetworkSettings</c> and the host config's own fields are not modelled.
/// </summary>
public static class GoContainerJson
{
    private enum GoType { String, Bool, Int, Time, Object, Array }

    // The serialised fields of moby's container.Container (container/container.go, 17.06 to 29.x): Go name and type.
    private static readonly Dictionary<string, (string Name, GoType Type)> Fields = new[]
    {
        ("ID", GoType.String), ("Path", GoType.String), ("Image", GoType.String), ("LogPath", GoType.String), ("Name", GoType.String),
        ("Driver", GoType.String), ("OS", GoType.String), ("MountLabel", GoType.String), ("ProcessLabel", GoType.String),
        ("AppArmorProfile", GoType.String), ("HostnamePath", GoType.String), ("HostsPath", GoType.String), ("ShmPath", GoType.String),
        ("ResolvConfPath", GoType.String), ("SeccompProfile", GoType.String), ("NetworkSharedContainerID", GoType.String),
        ("Managed", GoType.Bool), ("HasBeenStartedBefore", GoType.Bool), ("HasBeenManuallyStopped", GoType.Bool),
        ("NoNewPrivileges", GoType.Bool), ("RestartCount", GoType.Int), ("Created", GoType.Time),
        ("StreamConfig", GoType.Object), ("State", GoType.Object), ("Config", GoType.Object), ("NetworkSettings", GoType.Object),
        ("MountPoints", GoType.Object), ("LocalLogCacheMeta", GoType.Object),
        ("Args", GoType.Array), ("SecretReferences", GoType.Array), ("ConfigReferences", GoType.Array), ("SharedEndpointList", GoType.Array),
    }.ToDictionary(f => f.Item1.ToLowerInvariant(), f => f, StringComparer.Ordinal);

    // time.Time's UnmarshalJSON: RFC 3339 with optional fraction.
    private static readonly Regex Rfc3339 = new(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant);

    /// <summary>Decodes <c>config.v2.json</c>.</summary>
    /// <param name="bytes">The file's bytes, untouched.</param>
    /// <returns>Right: the fields as the decoder leaves them (a top-level <c>null</c> leaves them all empty). Left: Go's
    /// error, which makes moby log "failed to load container" and skip the container.</returns>
    public static Either<string, ContainerConfigFields> Decode(ReadOnlySpan<byte> bytes)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var hasConfig = false;
        var hasState = true;
        var hasNetworkSettings = false;
        string? error = null;
        var read = FirstValue(bytes, "container.Container", (ref Utf8JsonReader r) =>
        {
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                var key = GoDescriptorJson.FoldedKey(ref r);
                r.Read();
                if (!Fields.TryGetValue(key, out var field))
                {
                    GoDescriptorJson.Skip(ref r);
                    continue;
                }
                if (r.TokenType == JsonTokenType.Null)
                {
                    if (key == "config") hasConfig = false;
                    if (key == "state") hasState = false;
                    if (key == "networksettings") hasNetworkSettings = false;
                    continue;
                }
                var type = field.Type;
                var fits = type switch
                {
                    GoType.String => r.TokenType == JsonTokenType.String,
                    GoType.Time => r.TokenType == JsonTokenType.String,
                    GoType.Bool => r.TokenType is JsonTokenType.True or JsonTokenType.False,
                    GoType.Int => r.TokenType == JsonTokenType.Number && GoText.ParseInt64(r.ValueSpan).IsSome,
                    GoType.Object => r.TokenType == JsonTokenType.StartObject,
                    _ => r.TokenType == JsonTokenType.StartArray,
                };
                if (!fits)
                {
                    error ??= $"json: cannot unmarshal {GoDescriptorJson.GoKind(r.TokenType)} into Go struct field Container.{field.Name} of type {GoName(type)}";
                    GoDescriptorJson.Skip(ref r);
                    continue;
                }
                if (type == GoType.String) values[key] = GoDescriptorJson.GoString(ref r);
                else if (type == GoType.Time && !Rfc3339.IsMatch(GoDescriptorJson.GoString(ref r)))
                    error ??= $"parsing time {GoText.Quote(GoDescriptorJson.GoString(ref r))} as \"2006-01-02T15:04:05Z07:00\": cannot parse";
                if (key == "config") hasConfig = true;
                if (key == "state") hasState = true;
                if (key == "networksettings") hasNetworkSettings = true;
                GoDescriptorJson.Skip(ref r);
            }
        });
        if (read.TryLeft(out var failed)) return failed;
        if (error is not null) return error;
        string Value(string key) => values.TryGetValue(key, out var v) ? Shared(v) : "";
        return new ContainerConfigFields(new MountName(Value("id")), Value("name"), new DriverName(Value("driver")), Value("os") is { Length: > 0 } os ? os : "linux",
            Value("image"), hasConfig, hasState) { HasNetworkSettings = hasNetworkSettings };
    }

    // Values most containers share (a driver, an OS, a network mode): one instance each instead of one a container.
    private static readonly string[] CommonValues = ["overlay2", "linux", "none", "bridge", "default", "host", "windows", "fuse-overlayfs", "vfs", "btrfs", "zfs"];

    private static string Shared(string value)
    {
        foreach (var common in CommonValues)
            if (string.Equals(common, value, StringComparison.Ordinal)) return common;
        return value;
    }

    /// <summary>Decodes <c>hostconfig.json</c> into moby's <c>*HostConfig</c> (container/container.go <c>readHostConfig</c>).</summary>
    /// <param name="bytes">The file's bytes, untouched.</param>
    /// <returns>Right(Some): the host config's network mode. Right(None): the file holds JSON <c>null</c>, so the pointer becomes
    /// nil and <c>InitDNSHostConfig</c> dereferences it. Left: Go's error ("failed to load container").</returns>
    public static Either<string, Option<HostConfigFields>> DecodeHostConfig(ReadOnlySpan<byte> bytes)
    {
        var networkMode = "";
        string? error = null;
        var read = FirstValue(bytes, "container.HostConfig", (ref Utf8JsonReader r) =>
        {
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                var isNetworkMode = GoDescriptorJson.KeyFoldsTo(ref r, "networkmode");
                r.Read();
                if (isNetworkMode && r.TokenType == JsonTokenType.String) networkMode = Shared(GoDescriptorJson.GoString(ref r));
                else if (isNetworkMode && r.TokenType != JsonTokenType.Null)
                    error ??= $"json: cannot unmarshal {GoDescriptorJson.GoKind(r.TokenType)} into Go struct field HostConfig.NetworkMode of type container.NetworkMode";
                GoDescriptorJson.Skip(ref r);
            }
        });
        if (read.TryLeft(out var failed)) return failed;
        if (error is not null) return error;
        return read.Map(isNull => isNull ? Option<HostConfigFields>.None : Prelude.Some(new HostConfigFields(networkMode)));
    }

    private delegate void ObjectBody(ref Utf8JsonReader reader);

    // Reads the first JSON value: Right(true) for null, Right(false) for an object (handed to body), Left otherwise.
    private static Either<string, bool> FirstValue(ReadOnlySpan<byte> bytes, string goType, ObjectBody body)
    {
        if (bytes.StartsWith("\uFEFF"u8)) return "invalid character 'ï' looking for beginning of value";
        if (!bytes.ContainsAnyExcept(" \t\r\n"u8)) return "EOF";
        // Go replaces invalid UTF-8 in strings with U+FFFD; the reader passes it through and GoJsonString replaces it.
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = GoDescriptorJson.MaxDepth });
        try
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.Null) return true;
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                var kind = GoDescriptorJson.GoKind(reader.TokenType);
                GoDescriptorJson.Skip(ref reader);
                return $"json: cannot unmarshal {kind} into Go value of type {goType}";
            }
            body(ref reader);
            return false;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Go's decoder: nesting past its limit, input that ends inside the value, anything else a syntax error.
            return ex.Message.Contains("maximum configured depth", StringComparison.Ordinal) ? "exceeded max depth"
                : ex.Message.Contains("end of data", StringComparison.Ordinal) || ex.Message.Contains("depth to be zero", StringComparison.Ordinal) ? "unexpected EOF"
                : "invalid JSON: " + GoDescriptorJson.FirstSentence(ex.Message);
        }
    }

    private static string GoName(GoType type) => type switch
    {
        GoType.String => "string",
        GoType.Bool => "bool",
        GoType.Int => "int",
        GoType.Time => "time.Time",
        GoType.Object => "struct",
        _ => "slice",
    };
}
