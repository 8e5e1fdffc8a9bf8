namespace MusicClassification;

/// <summary>Whether someone is waiting for a song, which decides who has the CPU on a box with too few for everyone.</summary>
public enum SongPriority
{
    /// <summary>
    /// Someone waits for this one song (the default for a single song): on a box with fewer CPUs than songs working,
    /// batch songs step aside at their next pause point until it is done, and memory is kept free for one such song.
    /// </summary>
    Interactive = 0,

    /// <summary>
    /// One song of many that nobody waits for individually (every song of a batch): it steps aside for interactive songs,
    /// for at most five seconds over its whole analysis, with its timeout clock stopped meanwhile.
    /// </summary>
    Batch = 1,
}
