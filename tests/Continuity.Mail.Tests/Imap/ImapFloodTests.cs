namespace Continuity.Mail.Tests.Imap;

/// <summary>
/// Pre-login floods: many clients at once send megabytes without a line end, or announce literals far over the bound.
/// Each is told why and closed after at most the bound; the proxy's memory does not follow what was sent; the next client is served.
/// </summary>
[Trait("Category", "Server")]
public sealed class ImapFloodTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private const int Clients = 40;
    private const int BytesPerClient = 2 * 1024 * 1024;

    [Fact]
    public async Task PreLogin_FortyClientsFloodWithoutLineEndOrHugeLiteral_EachByeAndClosed_MemoryBounded()
    {
        await using var host = await AccessHost.StartAsync(redis.ConnectionString, new Dictionary<string, string?>());
        await using (var warm = await RawImap.ConnectAsync(host.ImapPort))
        {
            await warm.ReadLineAsync();
        }

        var before = GC.GetTotalMemory(forceFullCollection: true);
        var answers = await Task.WhenAll(Enumerable.Range(0, Clients).Select(i => FloodAsync(host.ImapPort, literal: i % 2 == 1)));
        var after = GC.GetTotalMemory(forceFullCollection: true);
        await using var next = await RawImap.ConnectAsync(host.ImapPort);
        await next.ReadLineAsync();
        await next.SendAsync("n1 NOOP\r\n");
        var noop = await next.ReadLineAsync();

        Assert.All(answers.Where((_, i) => i % 2 == 0), a => Assert.Equal("* BYE [TOOBIG] Command line too long", a));
        Assert.All(answers.Where((_, i) => i % 2 == 1), a => Assert.Equal("* BYE [TOOBIG] Literal too large", a));
        Assert.Equal("n1 OK NOOP completed", noop);
        // 80 MB were sent; a proxy that buffered them would hold far more than this.
        Assert.True(after - before < 16 * 1024 * 1024, $"managed memory grew by {(after - before) / 1024} KB");
    }

    /// <summary>Sends the flood (stopping when the server closes), then returns the server's first answer (or "(closed)").</summary>
    private static async Task<string> FloodAsync(int port, bool literal)
    {
        await using var client = await RawImap.ConnectAsync(port);
        await client.ReadLineAsync();
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)'a');
        if (literal)
        {
            // A non-synchronizing literal far over the bound: the client does not wait for a continuation.
            await client.SendAsync($"l1 LOGIN {{{BytesPerClient}+}}\r\n");
        }
        else
        {
            await client.SendAsync("f1 LOGIN ");
        }

        try
        {
            for (var sent = 0; sent < BytesPerClient; sent += chunk.Length)
            {
                await client.SendAsync(chunk);
            }
        }
        catch (IOException)
        {
            // The server closed the connection mid-flood: what it answered is read below.
        }

        return await client.ReadLineAsync() ?? "(closed)";
    }
}
