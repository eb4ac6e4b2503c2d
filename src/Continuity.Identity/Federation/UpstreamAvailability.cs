using Continuity.Core.Health;
using Continuity.Identity.Probes;

namespace Continuity.Identity.Federation;

/// <summary>
/// Asked before the login page sends a user to an upstream: a provider whose latest identity probe failed is
/// not tried at all, and the upstream's discovery document (cached by OpenIddict; fetched only when missing or
/// stale) must come within <see cref="IdentityOptions.UpstreamTimeout"/>. Without this check the challenge itself
/// fetches discovery and, with the upstream down, the user waits and then reads the library's raw error.
/// </summary>
internal sealed class UpstreamAvailability(OpenIddictClientService client, BackendHealthRegistry health, IOptions<IdentityOptions> options)
{
    /// <summary>Null when the upstream may be tried; otherwise why not (for the log, never shown to the user).</summary>
    public async Task<string?> UnavailableAsync(string tenant, string provider, CancellationToken cancellationToken)
    {
        if (health.IsDown(tenant, provider, UpstreamProbeService.Kind))
        {
            return "its latest probe failed";
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Value.UpstreamTimeout);
        try
        {
            var registration = await client.GetClientRegistrationByIdAsync(UpstreamRegistrations.RegistrationId(tenant, provider), deadline.Token);
            if (registration.ConfigurationManager is not { } configuration)
            {
                return "it has no configuration";
            }

            await configuration.GetConfigurationAsync(deadline.Token);
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return "its discovery document did not come in time";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return "its discovery document could not be read (" + e.GetType().Name + ")";
        }
    }
}
