using System.Net;
using System.Net.Sockets;

namespace MusicClassification.Tests.Services;

/// <summary>Ports on 127.0.0.1 for the servers the tests start: a free one, and whether one accepts connections yet.</summary>
public static class Loopback
{
    /// <summary>A port free on 127.0.0.1 now (the system's choice).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Whether something listens on 127.0.0.1 at <paramref name="port"/>.</summary>
    public static async Task<bool> AcceptsAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
