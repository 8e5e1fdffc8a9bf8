using System.ComponentModel.DataAnnotations;

namespace FolderWatcher;

/// <summary>What the watcher watches (configuration section <c>Watch</c>; <c>--Watch:Folder=/music/inbox</c>).</summary>
public sealed class WatchOptions
{
    /// <summary>Gets or sets the folder songs are dropped into (searched with its subfolders).</summary>
    [Required]
    public string Folder { get; set; } = "inbox";

    /// <summary>Gets or sets how often the folder is looked at. Default 2 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets or sets how long a file must stay unchanged before it is taken (a copy still in progress is left alone). Default 2 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan SettleTime { get; set; } = TimeSpan.FromSeconds(2);
}
