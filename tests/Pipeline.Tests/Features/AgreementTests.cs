using MusicClassification.Tests.TestAudio;

namespace MusicClassification.Tests.Features;

/// <summary>The agreement measures the tempo and key are judged by (MIREX, mir_eval's weighted key score).</summary>
[TestClass]
public sealed class AgreementTests
{
    [TestMethod]
    [DataRow(120.0, 120.0, TempoRelation.Same)]
    [DataRow(124.7, 120.0, TempoRelation.Same)]
    [DataRow(125.1, 120.0, TempoRelation.Other)]
    [DataRow(240.0, 120.0, TempoRelation.Double)]
    [DataRow(60.5, 120.0, TempoRelation.Half)]
    [DataRow(180.0, 120.0, TempoRelation.ThreeHalves)]
    [DataRow(80.0, 120.0, TempoRelation.TwoThirds)]
    [DataRow(199.4, 100.0, TempoRelation.Double)]
    [DataRow(93.5, 140.0, TempoRelation.TwoThirds)]
    public void Tempo_relations_follow_the_metrical_levels(double ours, double reference, TempoRelation expected) =>
        Assert.AreEqual(expected, Agreement.Tempo(ours, reference));

    [TestMethod]
    [DataRow("C", false, "C", false, 1.0)]
    [DataRow("C", false, "G", false, 0.5)]
    [DataRow("C", false, "F", false, 0.0)]
    [DataRow("C", false, "A", true, 0.3)]
    [DataRow("A", true, "C", false, 0.3)]
    [DataRow("C", false, "C", true, 0.2)]
    [DataRow("Ab", true, "G#", true, 1.0)]
    [DataRow("D", false, "Ab", true, 0.0)]
    [DataRow("E", true, "B", true, 0.5)]
    public void Key_scores_are_mirex_weights(string reference, bool referenceMinor, string estimate, bool estimateMinor, double score) =>
        Assert.AreEqual(score, Agreement.KeyScore(Agreement.Tonic(reference), referenceMinor, Agreement.Tonic(estimate), estimateMinor));
}
