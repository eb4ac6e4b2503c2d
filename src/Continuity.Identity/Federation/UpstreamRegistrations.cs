using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Continuity.Identity.Federation;

/// <summary>
/// One OpenIddict client registration per tenant provider that has an <c>Identity</c> section, each
/// with its own redirect path <c>/signin/{tenant}/{provider}</c> (so an upstream's answer can never
/// be taken for another's).
/// </summary>
internal sealed class UpstreamRegistrations(IOptions<ContinuityOptions> continuity) : IConfigureOptions<OpenIddictClientOptions>
{
    public const string CallbackPrefix = "signin";

    public void Configure(OpenIddictClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var (tenantId, tenant) in continuity.Value.Tenants)
        {
            foreach (var (name, provider) in tenant.Providers)
            {
                if (provider?.Identity is not { } upstream)
                {
                    continue;
                }

                var callback = new Uri(CallbackPath(tenantId, name).TrimStart('/'), UriKind.Relative);
                options.RedirectionEndpointUris.Add(callback);
                options.Registrations.Add(new OpenIddictClientRegistration
                {
                    RegistrationId = RegistrationId(tenantId, name),
                    ProviderName = $"{tenantId}-{name}",
                    ProviderDisplayName = provider.DisplayName ?? name,
                    Issuer = new Uri(upstream.Authority, UriKind.Absolute),
                    ClientId = upstream.ClientId,
                    ClientSecret = upstream.ClientSecret,
                    RedirectUri = callback,
                    Scopes = { Scopes.OpenId, Scopes.Email, Scopes.Profile },
                });
            }
        }

        if (options.RedirectionEndpointUris.Count == 0)
        {
            // No provider has an identity upstream (a mail-only deployment): OpenIddict still insists on a
            // redirection endpoint for the code flow. No registration points at this one, so nothing lands there.
            options.RedirectionEndpointUris.Add(new Uri($"{CallbackPrefix}/none", UriKind.Relative));
        }
    }

    public static string RegistrationId(string tenant, string provider) => $"{tenant}:{provider}";

    public static string CallbackPath(string tenant, string provider) => $"/{CallbackPrefix}/{tenant}/{provider}";
}
