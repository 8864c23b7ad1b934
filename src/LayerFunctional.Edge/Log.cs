using Microsoft.Extensions.Logging;

namespace LayerFunctional.Edge;

/// <summary>The shell's log lines (source-generated).</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Graph driver {Driver}: {Reason}")]
    public static partial void DriverChosen(ILogger logger, string driver, string reason);

    [LoggerMessage(2, LogLevel.Information, "Read {LayerDb}: {Layers} layer folders, {Mounts} mount folders")]
    public static partial void LayerDbRead(ILogger logger, string layerDb, int layers, int mounts);

    // moby logs these at debug level and goes on: the reason images vanish silently.
    [LoggerMessage(3, LogLevel.Debug, "Failed to load layer {ChainID}: {Kind} at {Path}")]
    public static partial void FailedToLoadLayer(ILogger logger, string chainID, string kind, string path);

    [LoggerMessage(4, LogLevel.Debug, "Failed to load mount {Name}: {Kind} at {Path}")]
    public static partial void FailedToLoadMount(ILogger logger, string name, string kind, string path);
}
