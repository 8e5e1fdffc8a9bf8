namespace MusicClassification.Tests.TestAudio;

/// <summary>How one tempo estimate relates to a reference: the same within a tolerance, or a metrical level of it.</summary>
public enum TempoRelation
{
    /// <summary>Within the tolerance of the reference.</summary>
    Same,

    /// <summary>Twice the reference.</summary>
    Double,

    /// <summary>Half the reference.</summary>
    Half,

    /// <summary>Three times the reference.</summary>
    Triple,

    /// <summary>A third of the reference.</summary>
    Third,

    /// <summary>Three halves of the reference (a dotted or ternary reading).</summary>
    ThreeHalves,

    /// <summary>Two thirds of the reference.</summary>
    TwoThirds,

    /// <summary>None of these.</summary>
    Other,
}

/// <summary>
/// Agreement measures for tempo and key as the MIREX evaluations define them: tempo within a relative tolerance (4 % by
/// default) of the reference or of one of its metrical levels; keys scored 1 (same), 0.5 (a perfect fifth above the
/// reference, same mode), 0.3 (relative major/minor), 0.2 (parallel: same tonic, other mode), 0 (anything else), as
/// mir_eval's <c>key.weighted_score</c> scores them.
/// </summary>
public static class Agreement
{
    private static readonly (TempoRelation Relation, double Factor)[] Levels =
    [
        (TempoRelation.Same, 1), (TempoRelation.Double, 2), (TempoRelation.Half, 0.5), (TempoRelation.Triple, 3),
        (TempoRelation.Third, 1 / 3.0), (TempoRelation.ThreeHalves, 1.5), (TempoRelation.TwoThirds, 2 / 3.0),
    ];

    private static readonly string[] Sharps = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"];
    private static readonly string[] Flats = ["C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B"];

    public static TempoRelation Tempo(double ours, double reference, double tolerance = 0.04)
    {
        foreach ((TempoRelation relation, double factor) in Levels)
        {
            if (Math.Abs(ours - (reference * factor)) <= tolerance * reference * factor)
            {
                return relation;
            }
        }

        return TempoRelation.Other;
    }

    /// <summary>The MIREX weighted key score of an estimate against a reference (tonics C = 0 … B = 11).</summary>
    public static double KeyScore(int referenceTonic, bool referenceMinor, int estimatedTonic, bool estimatedMinor)
    {
        int up = ((estimatedTonic - referenceTonic) % 12 + 12) % 12;
        if (referenceMinor == estimatedMinor)
        {
            return up == 0 ? 1 : up == 7 ? 0.5 : 0;
        }

        if (up == 0)
        {
            return 0.2;
        }

        // Relative: C major ↔ A minor, the minor tonic three semitones below the major one.
        return (!referenceMinor && up == 9) || (referenceMinor && up == 3) ? 0.3 : 0;
    }

    /// <summary>A tonic's pitch class from its name, sharps or flats (<c>C#</c>, <c>Db</c>, …).</summary>
    public static int Tonic(string name)
    {
        int sharp = Array.IndexOf(Sharps, name);
        int flat = Array.IndexOf(Flats, name);
        return sharp >= 0 ? sharp : flat >= 0 ? flat : throw new ArgumentException($"Not a tonic: {name}", nameof(name));
    }
}
