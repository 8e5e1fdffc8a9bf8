namespace MusicClassification.Features.Rhythm;

/// <summary>
/// glibc's <c>rand()</c> from a fresh process (seed 1), which Essentia's Degara tracker draws the noise it adds to its
/// period observations from. On near-ties that noise can decide which period path the Viterbi decoding takes, so the
/// same numbers as Essentia's Linux builds (Python, C++) are used, not just numbers like them. (essentia.js, built with
/// Emscripten, draws musl's sequence; the repository's reference tools run it, so on such ties the two may differ.)
/// </summary>
/// <remarks>
/// <c>random()</c>'s TYPE_3 generator: r₀ = 1, rᵢ = 16807·rᵢ₋₁ mod (2³¹ − 1) for i &lt; 31, rᵢ = rᵢ₋₃₁ for 31 ≤ i &lt; 34,
/// then rᵢ = rᵢ₋₃₁ + rᵢ₋₃ (mod 2³²); the k-th output is r₃₄₄₊ₖ shifted right by one.
/// </remarks>
internal sealed class GlibcRandom
{
    /// <summary><c>RAND_MAX</c>.</summary>
    public const int RandMax = int.MaxValue;

    private readonly uint[] _ring = new uint[34];
    private int _index;

    public GlibcRandom()
    {
        var r = new long[344];
        r[0] = 1;
        for (int i = 1; i < 31; i++)
        {
            r[i] = 16807 * r[i - 1] % int.MaxValue;
        }

        for (int i = 31; i < 34; i++)
        {
            r[i] = r[i - 31];
        }

        for (int i = 34; i < 344; i++)
        {
            r[i] = (uint)(r[i - 31] + r[i - 3]);
        }

        // The last 34 values carry the recurrence on.
        for (int i = 0; i < 34; i++)
        {
            _ring[i] = (uint)r[310 + i];
        }
    }

    /// <summary>Gets the next value of <c>rand()</c>, 0 … <see cref="RandMax"/>.</summary>
    public int Next()
    {
        // The ring holds the 34 values before this one, the oldest (k − 34) at _index.
        uint value = unchecked(_ring[(_index + 3) % 34] + _ring[(_index + 31) % 34]);
        _ring[_index] = value;
        _index = (_index + 1) % 34;
        return (int)(value >> 1);
    }
}
