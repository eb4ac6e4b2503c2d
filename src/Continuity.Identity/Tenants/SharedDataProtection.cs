using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;

namespace Continuity.Identity.Tenants;

/// <summary>
/// Data Protection keys (which protect the gateway's session cookie) live in the state store, so a
/// session started on one node is accepted on every node.
/// <code>
/// {continuity}:dataprotection:keys   LIST  key XML elements (written by ASP.NET Core). No TTL: keys carry their own expiry.
/// </code>
/// </summary>
internal sealed class SharedDataProtection(StateStore store) : IConfigureOptions<KeyManagementOptions>
{
    public void Configure(KeyManagementOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.XmlRepository = new RedisXmlRepository(() => store.Database, store.Keys.Prefix + "dataprotection:keys");
    }
}
