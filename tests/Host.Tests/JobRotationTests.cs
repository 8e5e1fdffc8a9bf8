using MusicClassification.Host.Transport;

namespace MusicClassification.Host.Tests;

/// <summary>In process, songs are taken in turn from the oldest jobs, a deleted job's are withdrawn, and none is lost to a cancelled taker.</summary>
[TestClass]
public sealed class JobRotationTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Songs_are_taken_in_turn_from_the_oldest_jobs_each_in_its_own_order()
    {
        var rotation = new JobRotation<string>(lanes: 2);
        foreach (string song in new[] { "a1", "a2", "a3", "a4" })
        {
            rotation.Add("a", song);
        }

        rotation.Add("b", "b1");
        rotation.Add("b", "b2");
        rotation.Add("c", "c1");

        var taken = new List<string>();
        for (int i = 0; i < 7; i++)
        {
            taken.Add(await rotation.TakeAsync(TestContext.CancellationTokenSource.Token));
        }

        // Two lanes: c waits until b has no songs left, then takes its place (and its turn) beside a.
        CollectionAssert.AreEqual(new[] { "a1", "b1", "a2", "b2", "c1", "a3", "a4" }, taken);
        Assert.AreEqual(0, rotation.Count);
    }

    [TestMethod]
    public async Task A_withdrawn_jobs_songs_are_never_taken()
    {
        var rotation = new JobRotation<string>(lanes: 4);
        rotation.Add("gone", "g1");
        rotation.Add("kept", "k1");
        rotation.Add("gone", "g2");

        rotation.Remove("gone");

        Assert.AreEqual("k1", await rotation.TakeAsync(TestContext.CancellationTokenSource.Token));
        Assert.AreEqual(0, rotation.Count);
    }

    [TestMethod]
    public async Task A_waiting_taker_gets_the_next_song_and_a_cancelled_one_loses_none()
    {
        var rotation = new JobRotation<string>(lanes: 4);
        using var cancelled = new CancellationTokenSource();
        Task<string> gaveUp = rotation.TakeAsync(cancelled.Token);
        Task<string> waiting = rotation.TakeAsync(TestContext.CancellationTokenSource.Token);
        await cancelled.CancelAsync();
        await Assert.ThrowsAsync<OperationCanceledException>(() => gaveUp);

        rotation.Add("a", "a1");
        rotation.Add("a", "a2");

        Assert.AreEqual("a1", await waiting);
        Assert.AreEqual(1, rotation.Count, "the song not handed to the cancelled taker is still queued");
        Assert.AreEqual("a2", await rotation.TakeAsync(TestContext.CancellationTokenSource.Token));
    }
}
