using Continuity.Core.Credentials;
using OpenIddict.Core;

namespace Continuity.Identity.Stores;

/// <summary>
/// Verifies client secrets against the configured <c>SecretHash</c> (<see cref="SecretHash"/>, the form of admin API keys
/// too), in constant time. The applications come from configuration only, whose validator admits no other form, so
/// OpenIddict's own PBKDF2 format is never needed.
/// </summary>
internal sealed class ApplicationManager(
    IOpenIddictApplicationCache<IdentityApplication> cache,
    ILogger<OpenIddictApplicationManager<IdentityApplication>> logger,
    IOptionsMonitor<OpenIddictCoreOptions> options,
    IOpenIddictApplicationStore<IdentityApplication> store)
    : OpenIddictApplicationManager<IdentityApplication>(cache, logger, options, store)
{
    protected override ValueTask<bool> ValidateClientSecretAsync(string secret, string comparand, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(SecretHash.Matches(secret, comparand));
}
