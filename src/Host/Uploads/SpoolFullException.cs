namespace MusicClassification.Host.Uploads;

/// <summary>The spool has no room for more upload bytes right now (<see cref="HostLimitsOptions.MaxSpoolBytes"/>).</summary>
internal sealed class SpoolFullException() : Exception("The upload spool is full.");
