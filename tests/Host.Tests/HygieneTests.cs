using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MusicClassification.Host.Tests;

/// <summary>
/// What the outside probe found about the answers the framework writes itself: every refusal has a code, HEAD probes
/// work, a 500 keeps the security headers, a 401 names its scheme, idle connections do not linger and are capped.
/// </summary>
[TestClass]
public sealed class HygieneTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow("GET", "/jobs/0123456789abcdef0123456789abcdef/results?after=abc", 400, "invalid_request")]
    [DataRow("GET", "/jobs/0123456789abcdef0123456789abcdef/results?after=1e11", 400, "invalid_request")]
    [DataRow("GET", "/no/such/endpoint", 404, "not_found")]
    [DataRow("DELETE", "/model_info", 405, "method_not_allowed")]
    public async Task Refusals_the_framework_writes_carry_a_code(string method, string path, int status, string code)
    {
        await using var app = new HostApplication();
        using HttpClient client = app.CreateClient();

        using HttpResponseMessage response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), TestContext.CancellationToken);

        Assert.AreEqual(status, (int)response.StatusCode);
        await LimitTests.AssertProblemAsync(response, (HttpStatusCode)status, code);
    }

    [TestMethod]
    [DataRow("/health/live")]
    [DataRow("/health/ready")]
    public async Task Health_answers_head_requests(string path)
    {
        await using var app = new HostApplication();
        using HttpClient client = app.CreateClient();

        using HttpResponseMessage response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path), TestContext.CancellationToken);

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
    }

    [TestMethod]
    public async Task A_server_error_keeps_nosniff_and_has_a_code_and_no_details()
    {
        await using var app = new HostApplication();
        await using WebApplicationFactory<Program> failing = app.WithWebHostBuilder(builder => builder.ConfigureServices(services =>
            services.AddSingleton<IStartupFilter>(new ThrowingEndpoint())));
        using HttpClient client = failing.CreateClient();

        using HttpResponseMessage response = await client.GetAsync(new Uri("/test-only-throws", UriKind.Relative), TestContext.CancellationToken);

        Assert.AreEqual(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.AreEqual("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        string body = await response.Content.ReadAsStringAsync(TestContext.CancellationToken);
        Assert.AreEqual("internal_error", JsonDocument.Parse(body).RootElement.GetProperty("code").GetString(), body);
        Assert.IsFalse(body.Contains("secret detail", StringComparison.Ordinal), body);
    }

    [TestMethod]
    public async Task A_401_names_the_scheme_the_client_must_use()
    {
        await using var app = new HostApplication();
        app.Settings["ApiKeys:Keys:0"] = "a-key-that-is-long-enough-0001";
        using HttpClient client = app.CreateClient();

        using HttpResponseMessage response = await client.GetAsync(new Uri("/model_info", UriKind.Relative), TestContext.CancellationToken);

        Assert.AreEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.AreEqual("ApiKey header=\"X-Api-Key\"", response.Headers.WwwAuthenticate.Single().ToString());
    }

    [TestMethod]
    public async Task A_connection_that_sends_nothing_is_closed_after_the_header_timeout()
    {
        await using var app = new HostApplication();
        app.Settings["Limits:RequestHeadersTimeout"] = "00:00:02";
        Uri address = app.StartKestrel();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port, TestContext.CancellationToken);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        int read = await ReadOrTimeoutAsync(tcp.GetStream(), TimeSpan.FromSeconds(20));

        Assert.AreEqual(0, read, "The server did not close the idle connection within 20 s.");
        Assert.IsLessThan(10, clock.Elapsed.TotalSeconds);
    }

    [TestMethod]
    public async Task Connections_past_the_cap_are_refused()
    {
        await using var app = new HostApplication();
        app.Settings["Limits:MaxConcurrentConnections"] = "2";
        Uri address = app.StartKestrel();
        using var first = new TcpClient();
        using var second = new TcpClient();
        using var third = new TcpClient();
        await first.ConnectAsync(address.Host, address.Port, TestContext.CancellationToken);
        await second.ConnectAsync(address.Host, address.Port, TestContext.CancellationToken);
        await Task.Delay(200, TestContext.CancellationToken);
        await third.ConnectAsync(address.Host, address.Port, TestContext.CancellationToken);
        await RawHttp.WriteAsync(third.GetStream(), "GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n");

        int read = await ReadOrTimeoutAsync(third.GetStream(), TimeSpan.FromSeconds(10));

        Assert.AreEqual(0, read, "A third connection was served past a cap of two.");
    }

    [TestMethod]
    public async Task A_worker_answers_performance_without_a_job_store_and_makes_none()
    {
        await using var app = new HostApplication();
        app.Settings["Host:Role"] = "Worker";
        app.Settings["Broker:HostName"] = "127.0.0.1";
        app.Settings["Broker:Port"] = "1";
        using HttpClient client = app.CreateClient();

        using HttpResponseMessage response = await client.GetAsync(new Uri("/performance", UriKind.Relative), TestContext.CancellationToken);

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.CancellationToken));
        JsonElement report = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.CancellationToken)).RootElement;
        Assert.IsFalse(report.TryGetProperty("jobs", out _), "A worker reported jobs it does not keep.");
        Assert.IsTrue(report.TryGetProperty("sizing", out _));
        Assert.IsFalse(File.Exists(Path.Combine(app.DataDirectory, "jobs.db")), "A worker's /performance made an empty job store.");
    }

    private static async Task<int> ReadOrTimeoutAsync(NetworkStream stream, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            return await stream.ReadAsync(new byte[256], timeout.Token);
        }
        catch (OperationCanceledException)
        {
            return -1;
        }
        catch (IOException)
        {
            // A reset is a close too.
            return 0;
        }
    }

    /// <summary>A route that throws, after the host's own middleware: the unhandled-exception path a real bug takes.</summary>
    private sealed class ThrowingEndpoint : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Map("/test-only-throws", branch => branch.Run(_ => throw new InvalidOperationException("secret detail")));
        };
    }
}
