namespace MusicClassification;

/// <summary>The order in which a batch call yields its results.</summary>
public enum ResultOrder
{
    /// <summary>As each song finishes (default): a fast song is never held back by a slow one submitted earlier.</summary>
    Completion,

    /// <summary>In the order the songs were submitted; finished results wait (within the batch window) for earlier ones.</summary>
    Submission,
}
