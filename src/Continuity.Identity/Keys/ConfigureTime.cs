using OpenIddict.Core;
using OpenIddict.Server;

namespace Continuity.Identity.Keys;

/// <summary>OpenIddict reads the clock from the host's <see cref="TimeProvider"/> (so tests can move time; expiry checks follow).</summary>
internal sealed class ConfigureTime(TimeProvider time) :
    IConfigureOptions<OpenIddictServerOptions>, IConfigureOptions<OpenIddictClientOptions>, IConfigureOptions<OpenIddictCoreOptions>
{
    public void Configure(OpenIddictServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.TimeProvider = time;
    }

    public void Configure(OpenIddictClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.TimeProvider = time;
    }

    public void Configure(OpenIddictCoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.TimeProvider = time;
    }
}
