using Continuity.Identity.Federation;
using Microsoft.Extensions.DependencyInjection;
using Polly;

namespace Continuity.Identity;

/// <summary>The OpenIddict client that signs users in at the upstream providers. Registrations come from <see cref="UpstreamRegistrations"/>.</summary>
internal static class ClientSetup
{
    public static void Configure(OpenIddictClientBuilder client, IdentityOptions settings)
    {
        client.AllowAuthorizationCodeFlow();
        client.AddEventHandler(ChallengeUserHandler.Descriptor);
        client.AddEventHandler(FrontchannelErrorCapture.Descriptor);
        client.AddEventHandler(TokenErrorCapture.Descriptor);

        var aspnet = client.UseAspNetCore()
            .EnableRedirectionEndpointPassthrough()
            .EnableErrorPassthrough()
            .DisableAutomaticAuthenticationSchemeForwarding();
        aspnet.Configure(options =>
        {
            options.CookieBuilder.SameSite = SameSiteMode.Lax;
            options.CookieBuilder.SecurePolicy = settings.AllowInsecureHttp ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        });
        if (settings.AllowInsecureHttp)
        {
            aspnet.DisableTransportSecurityRequirement();
        }

        // One bounded try per upstream call while a user waits: the default pipeline retries with backoff, which
        // turned an upstream answering 503 into a 15 s wait. The probes, not the sign-in, find out when it is back.
        client.UseSystemNetHttp()
            .ConfigureHttpClient(http => http.Timeout = settings.UpstreamTimeout)
            .SetHttpResiliencePipeline(pipeline => pipeline.AddTimeout(settings.UpstreamTimeout));
    }
}
