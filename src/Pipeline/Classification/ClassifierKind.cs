namespace MusicClassification.Classification;

/// <summary>What a <see cref="ClassifierOutput"/> says about a song, and so where it appears in <see cref="SongResult"/>.</summary>
public enum ClassifierKind
{
    /// <summary>Any other task: the output appears in <see cref="SongResult.Classifications"/> under its task name.</summary>
    Other = 0,

    /// <summary>Genre probabilities: the first genre output becomes <see cref="SongResult.Genres"/>.</summary>
    Genre = 1,

    /// <summary>Tag probabilities: the first tag output becomes <see cref="SongResult.Tags"/>.</summary>
    Tags = 2,

    /// <summary>One mood from a binary model: its first score (the mood's own label) joins <see cref="SongResult.Moods"/>.</summary>
    Mood = 3,

    /// <summary>Danceability from a binary model: its first score's probability becomes <see cref="SongResult.Danceability"/>.</summary>
    Danceability = 4,
}
