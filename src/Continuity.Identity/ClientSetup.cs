using Continuity.Identity.Configuration;
using Continuity.Identity.Federation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

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

        client.UseSystemNetHttp();
    }
}
