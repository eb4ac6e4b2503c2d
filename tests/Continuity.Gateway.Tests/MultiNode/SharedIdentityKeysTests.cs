using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Continuity.Testing;
using Xunit.Abstractions;

namespace Continuity.Gateway.Tests.MultiNode;

/// <summary>
/// Two gateway processes on one redis-server, given the same key files as the README and the compose file say: they
/// are one issuer — the same JWKS, and a token issued by A is active at B (decrypted, signature checked and found in
/// the shared store). Outside development a node with no key files does not start at all (SecretsAtRestTests), so no
/// production node can publish a key of its own.
/// </summary>
[Trait("Category", "Server")]
public sealed class SharedIdentityKeysTests(ITestOutputHelper output) : MultiNodeTestBed(output)
{
    private const string LoginHost = "login.demo.test";
    private const string ServiceClient = "service";
    private const string ServiceSecret = "service-secret-0123456789-0123456789-0123456789";

    [Fact]
    public async Task TwoNodesOnOneStoreWithTheSameKeyFiles_SameJwksAndATokenFromAIsActiveAtB()
    {
        // Arrange
        using var keys = new TempDirectory("shared-keys");
        var a = await StartIdentityNodeAsync("A", keys.Path);
        var b = await StartIdentityNodeAsync("B", keys.Path);

        // Act
        var jwksA = await JwksAsync(a);
        var jwksB = await JwksAsync(b);
        var token = await ClientCredentialsTokenAsync(a);
        var atB = await IntrospectAsync(b, token);
        var forged = await IntrospectAsync(b, token[..^4] + (token.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA"));

        // Assert
        Assert.NotEmpty(jwksA);
        Assert.Equal(jwksA, jwksB);
        Assert.True(atB.GetProperty("active").GetBoolean(), atB.ToString());
        Assert.Equal(ServiceClient, atB.GetProperty("client_id").GetString());
        Assert.False(forged.GetProperty("active").GetBoolean());
        Assert.False(File.Exists(Path.Combine(a.DataDir, "keys", "signing.pem")), "a node given key files made one of its own");
    }

    private Task<GatewayProcess> StartIdentityNodeAsync(string name, string keys) => StartNodeAsync(name, Redis.ConnectionString, sections: root =>
    {
        root["Continuity"]!["Identity"] = new JsonObject
        {
            ["AllowInsecureHttp"] = true,
            ["Keys"] = new JsonObject
            {
                ["Signing"] = new JsonArray(new JsonObject { ["Path"] = Pem(keys, "signing.pem") }),
                ["Encryption"] = new JsonArray(new JsonObject { ["Path"] = Pem(keys, "encryption.pem") }),
            },
            ["Tenants"] = new JsonObject { [GatewayConfig.Tenant] = new JsonObject { ["Issuer"] = $"http://{LoginHost}/" } },
            ["Scopes"] = new JsonObject { ["api"] = new JsonArray("https://api.demo.test") },
            ["Clients"] = new JsonObject
            {
                [ServiceClient] = new JsonObject
                {
                    ["SecretHash"] = GatewayConfig.Hash(ServiceSecret),
                    ["Scopes"] = new JsonArray("api"),
                    ["GrantTypes"] = new JsonArray("client_credentials"),
                    ["Tenant"] = GatewayConfig.Tenant,
                },
            },
        };
    });

    /// <summary>A throw-away RSA key file in <paramref name="directory"/>, made once (the second node reads the first's).</summary>
    private static string Pem(string directory, string name)
    {
        var path = Path.Combine(directory, name);
        if (!File.Exists(path))
        {
            using var rsa = System.Security.Cryptography.RSA.Create(2048);
            File.WriteAllText(path, rsa.ExportPkcs8PrivateKeyPem());
        }

        return path;
    }

    /// <summary>The key ids and moduli the node publishes, sorted.</summary>
    private static async Task<IReadOnlyList<string>> JwksAsync(GatewayProcess node)
    {
        using var client = LoginHostClient(node);
        using var discovery = JsonDocument.Parse(await client.GetStringAsync(".well-known/openid-configuration"));
        var jwksPath = new Uri(discovery.RootElement.GetProperty("jwks_uri").GetString()!).PathAndQuery.TrimStart('/');
        using var jwks = JsonDocument.Parse(await client.GetStringAsync(jwksPath));
        return [.. jwks.RootElement.GetProperty("keys").EnumerateArray()
            .Select(k => k.GetProperty("kid").GetString() + ":" + k.GetProperty("n").GetString()).Order(StringComparer.Ordinal)];
    }

    private static async Task<string> ClientCredentialsTokenAsync(GatewayProcess node)
    {
        using var client = LoginHostClient(node);
        using var request = new HttpRequestMessage(HttpMethod.Post, "connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "api" }),
        };
        request.Headers.Authorization = Basic();
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    private static async Task<JsonElement> IntrospectAsync(GatewayProcess node, string token)
    {
        using var client = LoginHostClient(node);
        using var request = new HttpRequestMessage(HttpMethod.Post, "connect/introspect")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token }),
        };
        request.Headers.Authorization = Basic();
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static AuthenticationHeaderValue Basic() =>
        new("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes($"{ServiceClient}:{ServiceSecret}")));

    /// <summary>A client for the node's port that says it is talking to the tenant's login host, as a browser behind the load balancer would.</summary>
    private static HttpClient LoginHostClient(GatewayProcess node)
    {
        var client = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(20) };
        client.DefaultRequestHeaders.Host = LoginHost;
        return client;
    }
}
