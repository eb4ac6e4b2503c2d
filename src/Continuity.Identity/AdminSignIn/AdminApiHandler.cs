using System.Text.Encodings.Web;

namespace Continuity.Identity.AdminSignIn;

/// <summary>
/// What the admin API's extra schemes (session cookie, bearer token) answer when the API refuses: a bare 401 or 403,
/// never a redirect to the login page. Another scheme (the API key's) may already have written the answer.
/// </summary>
internal abstract class AdminApiHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task HandleChallengeAsync(AuthenticationProperties properties) => AnswerAsync(StatusCodes.Status401Unauthorized);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) => AnswerAsync(StatusCodes.Status403Forbidden);

    private Task AnswerAsync(int status)
    {
        if (!Response.HasStarted)
        {
            Response.StatusCode = status;
        }

        return Task.CompletedTask;
    }
}
