using MusicClassification.Host.Scaling;
using MusicClassification.Host.Transport;

namespace MusicClassification.Host.Tests;

/// <summary>A song's and a result's message name the song and carry its trace context through the queue.</summary>
[TestClass]
public sealed class BrokerMessagesTests
{
    private const string Traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    [TestMethod]
    public void Song_and_result_messages_carry_the_w3c_trace_context()
    {
        SongAddress? song = BrokerMessages.Address(BrokerMessages.Song(new SongAddress("job1", 3, "a.mp3", IncludeFeatures: true, Succeeded: false, Traceparent)));
        SongAddress? result = BrokerMessages.Address(BrokerMessages.Result(new SongAddress("job1", 3, "a.mp3", IncludeFeatures: false, Succeeded: true, Traceparent)));

        Assert.AreEqual(new SongAddress("job1", 3, "a.mp3", true, false, Traceparent), song);
        Assert.AreEqual(Traceparent, result!.Trace);
        Assert.IsTrue(result.Succeeded);
    }

    [TestMethod]
    public void A_message_without_trace_context_has_none()
    {
        Assert.IsNull(BrokerMessages.Address(BrokerMessages.Song(new SongAddress("job1", 0, "a.mp3", IncludeFeatures: false, Succeeded: false)))!.Trace);
    }
}
