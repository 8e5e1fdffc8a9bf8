namespace MusicClassification.Features.Fingerprints;

/// <summary>
/// Chromaprint's default algorithm (<c>TEST2</c>, <c>fingerprinter_configuration.cpp</c>): sixteen classifiers, each a
/// box filter over the chroma image (time × 12 pitch classes) and three thresholds that turn its value into two bits.
/// The numbers are Chromaprint's trained ones; a fingerprint is AcoustID's only if they are exactly these.
/// </summary>
internal static class ChromaprintClassifiers
{
    /// <summary>The algorithm's id in a compressed fingerprint's first byte (<c>CHROMAPRINT_ALGORITHM_TEST2</c>).</summary>
    public const int AlgorithmId = 1;

    public static IReadOnlyList<ChromaprintClassifier> Test2 { get; } =
    [
        new(new(0, 4, 3, 15), new(1.98215, 2.35817, 2.63523)),
        new(new(4, 4, 6, 15), new(-1.03809, -0.651211, -0.282167)),
        new(new(1, 0, 4, 16), new(-0.298702, 0.119262, 0.558497)),
        new(new(3, 8, 2, 12), new(-0.105439, 0.0153946, 0.135898)),
        new(new(3, 4, 4, 8), new(-0.142891, 0.0258736, 0.200632)),
        new(new(4, 0, 3, 5), new(-0.826319, -0.590612, -0.368214)),
        new(new(1, 2, 2, 9), new(-0.557409, -0.233035, 0.0534525)),
        new(new(2, 7, 3, 4), new(-0.0646826, 0.00620476, 0.0784847)),
        new(new(2, 6, 2, 16), new(-0.192387, -0.029699, 0.215855)),
        new(new(2, 1, 3, 2), new(-0.0397818, -0.00568076, 0.0292026)),
        new(new(5, 10, 1, 15), new(-0.53823, -0.369934, -0.190235)),
        new(new(3, 6, 2, 10), new(-0.124877, 0.0296483, 0.139239)),
        new(new(2, 1, 1, 14), new(-0.101475, 0.0225617, 0.231971)),
        new(new(3, 5, 6, 4), new(-0.0799915, -0.00729616, 0.063262)),
        new(new(1, 9, 2, 12), new(-0.272556, 0.019424, 0.302559)),
        new(new(3, 4, 2, 14), new(-0.164292, -0.0321188, 0.0846339)),
    ];

    /// <summary>The widest filter (in frames): a subfingerprint needs that many chroma rows.</summary>
    public const int MaxFilterWidth = 16;
}

/// <summary>A box filter over the chroma image: its kind (0–5), first pitch class, extent in pitch classes and in frames.</summary>
internal readonly record struct ChromaprintFilter(int Kind, int Y, int Height, int Width)
{
    /// <summary>The filter's response at frame <paramref name="x"/>: the log ratio of its two areas (Chromaprint's <c>SubtractLog</c>).</summary>
    public double Apply(ChromaIntegralImage image, int x)
    {
        int y = Y, w = Width, h = Height;
        (double a, double b) = Kind switch
        {
            0 => (image.Area(x, y, x + w, y + h), 0.0),
            1 => (image.Area(x, y + (h / 2), x + w, y + h), image.Area(x, y, x + w, y + (h / 2))),
            2 => (image.Area(x + (w / 2), y, x + w, y + h), image.Area(x, y, x + (w / 2), y + h)),
            3 => (image.Area(x, y + (h / 2), x + (w / 2), y + h) + image.Area(x + (w / 2), y, x + w, y + (h / 2)),
                  image.Area(x, y, x + (w / 2), y + (h / 2)) + image.Area(x + (w / 2), y + (h / 2), x + w, y + h)),
            4 => (image.Area(x, y + (h / 3), x + w, y + (2 * (h / 3))),
                  image.Area(x, y, x + w, y + (h / 3)) + image.Area(x, y + (2 * (h / 3)), x + w, y + h)),
            _ => (image.Area(x + (w / 3), y, x + (2 * (w / 3)), y + h),
                  image.Area(x, y, x + (w / 3), y + h) + image.Area(x + (2 * (w / 3)), y, x + w, y + h)),
        };
        return Math.Log((1.0 + a) / (1.0 + b));
    }
}

/// <summary>Three thresholds splitting a filter's response into four levels.</summary>
internal readonly record struct ChromaprintQuantizer(double T0, double T1, double T2)
{
    public int Quantize(double value) => value < T1 ? (value < T0 ? 0 : 1) : (value < T2 ? 2 : 3);
}

/// <summary>One of the sixteen classifiers: a filter and its quantizer.</summary>
internal readonly record struct ChromaprintClassifier(ChromaprintFilter Filter, ChromaprintQuantizer Quantizer);
