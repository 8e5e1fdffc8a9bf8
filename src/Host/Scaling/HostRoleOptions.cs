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

    /// <summary>Gets a value indicating whether this role talks to the broker.</summary>
    public bool UsesBroker => Role is HostRole.Api or HostRole.Worker;
}
