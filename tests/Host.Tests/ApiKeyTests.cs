using System.Net;
using System.Text.Json;

namespace MusicClassification.Host.Tests;

[TestClass]
public sealed class ApiKeyTests
{
    private const string Key = "a-long-enough-test-key-0001";

    [TestMethod]
    public async Task With_keys_configured_a_missing_or_wrong_key_gets_the_same_401()
    {
        await using var app = new HostApplication();
        app.Settings["ApiKeys:Keys:0"] = "another-key-that-is-long-0002";
        app.Settings["ApiKeys:Keys:1"] = Key;
        using HttpClient client = app.CreateClient();

        HttpResponseMessage missing = await client.GetAsync(new Uri("/model_info", UriKind.Relative));
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/model_info") { Headers = { { "X-Api-Key", Key + "x" } } };
        HttpResponseMessage wrongAnswer = await client.SendAsync(wrong);
        using var right = new HttpRequestMessage(HttpMethod.Get, "/model_info") { Headers = { { "X-Api-Key", Key } } };
        HttpResponseMessage rightAnswer = await client.SendAsync(right);

        await LimitTests.AssertProblemAsync(missing, HttpStatusCode.Unauthorized, "unauthorized");
        await LimitTests.AssertProblemAsync(wrongAnswer, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.AreEqual(
            JsonDocument.Parse(await missing.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString(),
            JsonDocument.Parse(await wrongAnswer.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString());
        Assert.AreEqual(HttpStatusCode.OK, rightAnswer.StatusCode);
    }

    [TestMethod]
    public async Task Health_endpoints_stay_open_with_keys()
    {
        await using var app = new HostApplication();
        app.Settings["ApiKeys:Keys:0"] = Key;
        using HttpClient client = app.CreateClient();

        Assert.AreEqual(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/live", UriKind.Relative))).StatusCode);
        Assert.AreEqual(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode);
        Assert.AreEqual(HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri("/performance", UriKind.Relative))).StatusCode);
    }

    [TestMethod]
    public async Task Wrong_keys_are_rate_limited_per_address()
    {
        await using var app = new HostApplication();
        app.Settings["ApiKeys:Keys:0"] = Key;
        app.Settings["ApiKeys:FailuresPerMinutePerAddress"] = "5";
        using HttpClient client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", "a-wrong-key-that-is-long-enough");

        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 8; i++)
        {
            statuses.Add((await client.GetAsync(new Uri("/model_info", UriKind.Relative))).StatusCode);
        }

        CollectionAssert.AreEqual(
            Enumerable.Repeat(HttpStatusCode.Unauthorized, 5).Concat(Enumerable.Repeat(HttpStatusCode.TooManyRequests, 3)).ToList(), statuses);
        HttpResponseMessage limited = await client.GetAsync(new Uri("/model_info", UriKind.Relative));
        Assert.IsNotNull(limited.Headers.RetryAfter);
        await LimitTests.AssertProblemAsync(limited, HttpStatusCode.TooManyRequests, "rate_limited");

        // The right key from the same address still gets in: guessing is slowed, the key's owner is not locked out.
        using var owner = app.CreateClient();
        owner.DefaultRequestHeaders.Add("X-Api-Key", Key);
        Assert.AreEqual(HttpStatusCode.OK, (await owner.GetAsync(new Uri("/model_info", UriKind.Relative))).StatusCode);
    }

    [TestMethod]
    public void A_short_key_stops_the_host_at_start_up()
    {
        using var app = new HostApplication();
        app.Settings["ApiKeys:Keys:0"] = "short";

        string failure = app.RefusalAtStart();

        StringAssert.Contains(failure, "ApiKeys:Keys:0");
    }

    [TestMethod]
    public async Task Rate_limits_count_per_key()
    {
        await using var app = new HostApplication();
        app.Settings["ApiKeys:Keys:0"] = Key;
        app.Settings["ApiKeys:Keys:1"] = "another-key-that-is-long-0002";
        app.Settings["Limits:RequestsPerMinutePerClient"] = "2";
        using HttpClient client = app.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 4; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/model_info") { Headers = { { "X-Api-Key", Key } } };
            statuses.Add((await client.SendAsync(request)).StatusCode);
        }

        Assert.AreEqual(HttpStatusCode.TooManyRequests, statuses[^1], string.Join(",", statuses));
        using var other = new HttpRequestMessage(HttpMethod.Get, "/model_info") { Headers = { { "X-Api-Key", "another-key-that-is-long-0002" } } };
        Assert.AreEqual(HttpStatusCode.OK, (await client.SendAsync(other)).StatusCode, "another key has its own bucket");
    }
}
