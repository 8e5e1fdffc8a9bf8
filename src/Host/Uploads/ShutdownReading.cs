namespace MusicClassification.Host.Uploads;

/// <summary>
/// How a form is read while the host stops: from <paramref name="Stopping"/> on, songs come as <c>cancelled</c> and the
/// form is read on for at most <paramref name="ReadOn"/>, so a client still sending cannot hold the host past its grace.
/// The default never stops (a job upload is cancelled outright instead).
/// </summary>
/// <param name="ReadOn">How long the rest of the form is still read after that.</param>
/// <param name="Stopping">Fires when the host begins to stop.</param>
internal readonly record struct ShutdownReading(TimeSpan ReadOn, CancellationToken Stopping);
