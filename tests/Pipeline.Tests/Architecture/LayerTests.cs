using System.Reflection;

namespace MusicClassification.Tests.Architecture;

/// <summary>
/// The library's layers point one way: DSP at the bottom, then decoding, features, classification, and the engine on
/// top; public contracts at the root. These tests read the compiled code (including method bodies), so a call that
/// reaches upward fails here even when no <c>using</c> shows it.
/// </summary>
[TestClass]
public sealed class LayerTests
{
    private static readonly Assembly Library = typeof(MusicClassificationPipeline).Assembly;

    /// <summary>Namespace prefix → height; a type may use only its own height and below.</summary>
    private static readonly (string Prefix, int Height)[] Layers =
    [
        ("MusicClassification.Dsp", 0),
        ("MusicClassification.Diagnostics", 0),
        ("MusicClassification.Scheduling", 0),
        ("MusicClassification.Decoding", 1),
        ("MusicClassification.Features", 2),
        ("MusicClassification.Classification", 3),
        ("MusicClassification.Engine", 4),
    ];

    /// <summary>
    /// Root types every layer may use: what a song is, how it fails, each layer's public options, and the names the
    /// diagnostics publish under (public types live at the root, not in namespaces that mirror the layers).
    /// </summary>
    private static readonly HashSet<Type> Contracts =
    [
        typeof(SongInput), typeof(SongError), typeof(SongErrorCode), typeof(SongErrorCodeExtensions), typeof(SongFailureException),
        typeof(DecodingOptions), typeof(AnalysisWindow), typeof(FeatureOptions), typeof(KeyProfile), typeof(ClassificationOptions),
        typeof(PipelineInstruments),
    ];

    [TestMethod]
    public void No_layer_uses_a_layer_above_it_or_the_facade()
    {
        var violations = new List<string>();
        foreach (Type type in Library.GetTypes())
        {
            if (Height(type) is not int height)
            {
                continue;
            }

            foreach (Type used in TypeReferences.Of(type).Where(IsOurs))
            {
                bool allowed = Height(used) is int usedHeight
                    ? usedHeight <= height
                    : Contracts.Contains(used) || height == 4;
                if (!allowed)
                {
                    violations.Add($"{type.FullName} uses {used.FullName}");
                }
            }
        }

        Assert.IsEmpty(violations, string.Join(Environment.NewLine, violations.Distinct()));
    }

    [TestMethod]
    public void The_dsp_layer_uses_nothing_of_the_library_but_itself()
    {
        string[] violations = [.. Library.GetTypes()
            .Where(t => t.Namespace?.StartsWith("MusicClassification.Dsp", StringComparison.Ordinal) == true)
            .SelectMany(t => TypeReferences.Of(t)
                .Where(u => IsOurs(u) && u.Namespace?.StartsWith("MusicClassification.Dsp", StringComparison.Ordinal) != true)
                .Select(u => $"{t.FullName} uses {u.FullName}"))
            .Distinct()];

        Assert.IsEmpty(violations, string.Join(Environment.NewLine, violations));
    }

    [TestMethod]
    public void Only_the_engine_builds_the_public_result_records()
    {
        Type[] results = [typeof(SongResult), typeof(AudioDescriptors), typeof(SpectralSummary), typeof(Statistics), typeof(StageTimings)];
        string[] builders = [.. Library.GetTypes()
            .Where(t => t.Namespace?.StartsWith("MusicClassification.", StringComparison.Ordinal) == true && Height(t) is < 4)
            .Where(t => TypeReferences.Of(t).Intersect(results).Any())
            .Select(t => t.FullName!)];

        Assert.IsEmpty(builders, "names and rounding belong to Engine/ResultMapper: " + string.Join(", ", builders));
    }

    [TestMethod]
    public void The_reference_reader_sees_calls_inside_method_bodies()
    {
        // Proof the checks above can fail: these uses exist only inside method bodies.
        Type level = Library.GetType("MusicClassification.Features.SignalLevel", throwOnError: true)!;
        Type mapper = Library.GetType("MusicClassification.Engine.ResultMapper", throwOnError: true)!;

        CollectionAssert.Contains(TypeReferences.Of(level).Select(t => t.FullName).ToArray(), "MusicClassification.Dsp.Decibels");
        CollectionAssert.Contains(TypeReferences.Of(mapper).ToArray(), typeof(SpectralSummary));
    }

    /// <summary>Our own types; the compiler's generated helpers (array initialisers, collection-expression lists) are not.</summary>
    private static bool IsOurs(Type type) =>
        type.Assembly == Library && type.Namespace is { } ns && (ns == "MusicClassification" || ns.StartsWith("MusicClassification.", StringComparison.Ordinal));

    private static int? Height(Type type)
    {
        string ns = type.Namespace ?? "";
        foreach ((string prefix, int height) in Layers)
        {
            if (ns == prefix || ns.StartsWith(prefix + ".", StringComparison.Ordinal))
            {
                return height;
            }
        }

        return null;
    }
}
