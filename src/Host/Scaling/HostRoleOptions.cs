using System.ComponentModel.DataAnnotations;

namespace MusicClassification.Host.Scaling;

/// <summary>The process's role, bound from the <c>Host</c> section (<c>Host:Role</c>) and validated at start-up.</summary>
public sealed class HostRoleOptions
{
    /// <summary>The configuration section: <c>Host</c>.</summary>
    public const string SectionName = "Host";

    /// <summary>Gets or sets the role: <c>All</c> (default, one process, no broker), <c>Api</c> or <c>Worker</c>.</summary>
    [EnumDataType(typeof(HostRole))]
    public HostRole Role { get; set; } = HostRole.All;

    /// <summary>
    /// Gets or sets how workers reach this API node to fetch songs larger than <see cref="BrokerOptions.MaxSongBytes"/>
    /// (<c>http://api-1.internal:8080</c>, say). Default: the first address Kestrel listens on, a wildcard host replaced by
    /// this machine's name.
    /// </summary>
    public Uri? AdvertisedUrl { get; set; }

    /// <summary>Gets a value indicating whether this role talks to the broker.</summary>
    public bool UsesBroker => Role is HostRole.Api or HostRole.Worker;
}
