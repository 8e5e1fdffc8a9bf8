namespace MusicClassification.Host.Transport;

/// <summary>The transport failed (a broker connection lost, a confirmation refused or late); what it had not taken comes back.</summary>
internal sealed class TransportException(string message, Exception? inner = null) : Exception(message, inner);
