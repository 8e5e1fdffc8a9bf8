using MusicClassification.Host.Workers;

namespace MusicClassification.Host.Tests;

/// <summary>A stopping worker waits on its songs in flight through a task, not a polling loop.</summary>
[TestClass]
public sealed class InFlightSongsTests
{
    [TestMethod]
    public void None_in_flight_is_completed_at_once_and_again_after_the_last_song_leaves()
    {
        var songs = new InFlightSongs();
        Assert.IsTrue(songs.WhenNoneAsync().IsCompleted);

        songs.Enter();
        songs.Enter();
        Task none = songs.WhenNoneAsync();
        songs.Leave();
        Assert.IsFalse(none.IsCompleted, "one song is still in flight");

        songs.Leave();
        Assert.IsTrue(none.Wait(TimeSpan.FromSeconds(5)));
        Assert.IsTrue(songs.WhenNoneAsync().IsCompleted);

        songs.Enter();
        Assert.IsFalse(songs.WhenNoneAsync().IsCompleted, "a new song makes a new wait");
        songs.Leave();
    }
}
