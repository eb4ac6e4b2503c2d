using System.Net;
using System.Net.WebSockets;
using System.Text;
using Continuity.Web.Tests.Support;

namespace Continuity.Web.Tests.Proxy;

[Trait("Category", "Server")]
public sealed class ProxyTests
{
    private const long HundredMegabytes = 100L * 1024 * 1024;

    [Fact]
    public async Task WebSocket_ThroughGateway_Echoes()
    {
        await using var world = await WebWorld.StartAsync();
        var cookie = await world.SignInAsync("alice@demo.test");
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Cookie", cookie);
        using var invoker = new HttpMessageInvoker(world.Handler());

        await socket.ConnectAsync(new Uri($"ws://{WebWorld.WebmailHost}:{world.Port}/ws"), invoker, CancellationToken.None);
        await socket.SendAsync(Encoding.UTF8.GetBytes("hello through the gateway"), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[256];
        var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);

        Assert.Equal("hello through the gateway", Encoding.UTF8.GetString(buffer, 0, result.Count));
    }

    /// <summary>
    /// 100 MB up and 100 MB down in one process (client, gateway and backend all here): buffering
    /// anywhere would allocate at least the 100 MB body. Streaming reuses pooled buffers, so the
    /// whole process allocates a small fraction; 32 MB leaves room for the client, Kestrel and the
    /// test runner while still failing for any buffered copy of either body.
    /// </summary>
    [Fact]
    public async Task HundredMegabytes_UpAndDown_StreamWithoutBuffering()
    {
        await using var world = await WebWorld.StartAsync();
        using var alice = world.Client(await world.SignInAsync("alice@demo.test"));
        (await alice.GetAsync(world.App("/inbox"))).EnsureSuccessStatusCode();
        var before = GC.GetTotalAllocatedBytes(precise: true);

        using var upload = await alice.PostAsync(world.App("/upload"), new StreamContent(new ZeroStream(HundredMegabytes), 64 * 1024));
        var received = await upload.Content.ReadAsStringAsync();
        using var download = await alice.GetAsync(world.App($"/download/{HundredMegabytes}"), HttpCompletionOption.ResponseHeadersRead);
        await using var body = await download.Content.ReadAsStreamAsync();
        var buffer = new byte[64 * 1024];
        long downloaded = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            downloaded += read;
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Equal(HundredMegabytes.ToString(System.Globalization.CultureInfo.InvariantCulture), received);
        Assert.Equal(HundredMegabytes, downloaded);
        Assert.True(allocated < 32L * 1024 * 1024, $"allocated {allocated / (1024 * 1024)} MB while streaming 2 × 100 MB");
    }

    [Fact]
    public async Task BackendHang_AnswersGatewayTimeoutWithinTimeout()
    {
        await using var world = await WebWorld.StartAsync(s => s["Continuity:Web:Apps:webmail:Timeout"] = "00:00:01");
        using var alice = world.Client(await world.SignInAsync("alice@demo.test"));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        using var response = await alice.GetAsync(world.App("/hang"));

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Contains("did not answer in time", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task OversizedHeaders_Answer431()
    {
        await using var world = await WebWorld.StartAsync();
        using var alice = world.Client(await world.SignInAsync("alice@demo.test"));
        using var request = new HttpRequestMessage(HttpMethod.Get, world.App("/inbox"));
        request.Headers.Add("X-Big", new string('a', 64 * 1024));

        using var response = await alice.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task HostRewrite_WhenNotKept_BackendSeesItsOwnHost()
    {
        await using var world = await WebWorld.StartAsync(s => s["Continuity:Web:Apps:webmail:KeepHost"] = "false");
        using var alice = world.Client(await world.SignInAsync("alice@demo.test"));

        Assert.Equal("primary 127.0.0.1", await alice.GetStringAsync(world.App("/inbox")));
    }

    [Fact]
    public async Task ConfigurationReload_AddsAppRoute()
    {
        await using var world = await WebWorld.StartAsync();
        using var alice = world.Client(await world.SignInAsync("alice@demo.test"));
        Assert.Equal(HttpStatusCode.NotFound, (await alice.GetAsync(world.App("/", "portal.demo.test"))).StatusCode);

        world.Configuration["Continuity:Tenants:demo:Hosts:Apps:portal"] = "portal.demo.test";
        world.Configuration["Continuity:Tenants:demo:Providers:primary:Apps:portal:0"] = world.Sovereign.Url;
        world.Configuration.Reload();

        await Continuity.Testing.Eventually.TrueAsync(
            async () => (await alice.GetAsync(world.App("/", "portal.demo.test"))).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(10), "portal route after reload");
        Assert.Equal("sovereign portal.demo.test", await alice.GetStringAsync(world.App("/", "portal.demo.test")));
    }

    private sealed class ZeroStream(long length) : Stream
    {
        private long _position;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
        public override int Read(Span<byte> buffer)
        {
            var n = (int)Math.Min(buffer.Length, length - _position);
            buffer[..n].Clear();
            _position += n;
            return n;
        }
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
