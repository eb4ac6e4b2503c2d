using System.Security.Claims;
using System.Text.Json.Serialization.Metadata;

namespace Continuity.Gateway.Admin;

/// <summary>Reading admin requests safely: a bounded body, JSON errors as 400, the caller as an <see cref="AdminActor"/>.</summary>
internal static class AdminRequests
{
    /// <summary>Largest admin request body. Route changes and imports of a few thousand addresses fit.</summary>
    public const int MaxBodyBytes = 256 * 1024;

    /// <summary>
    /// The caller, from the one identity <see cref="AdminAuthenticationHandler"/> made: name, tenant and role from the same
    /// credential. A principal with more than one authenticated identity is a merge of credentials and is refused outright.
    /// </summary>
    public static AdminActor Actor(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identities.Count(i => i.IsAuthenticated) != 1 || user.Identity is not ClaimsIdentity { IsAuthenticated: true } identity)
        {
            throw new InvalidOperationException("An admin request must carry exactly one authenticated identity.");
        }

        return new AdminActor(
            identity.Name ?? "",
            identity.FindFirst(ApiKeyAuthenticationHandler.TenantClaim)?.Value ?? "",
            Enum.TryParse<AdminRole>(identity.FindFirst(ApiKeyAuthenticationHandler.RoleClaim)?.Value, out var role) ? role : AdminRole.Viewer);
    }

    /// <summary>The body as <typeparamref name="T"/> (its contract in <see cref="Contracts.AdminJsonContext"/>), or a problem result to return instead.</summary>
    public static async Task<(T? Body, IResult? Problem)> ReadBodyAsync<T>(HttpRequest request, JsonTypeInfo<T> contract)
        where T : class
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, TooLarge());
        }

        if (!(request.ContentType ?? "").StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "Send the body as application/json."));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return (null, TooLarge());
            }

            buffer.Write(chunk, 0, read);
        }

        try
        {
            var body = JsonSerializer.Deserialize(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), contract);
            return body is null ? (null, BadRequest("The body is empty; a JSON object is required.")) : (body, null);
        }
        catch (JsonException ex)
        {
            return (null, BadRequest($"The body is not valid JSON: {ex.Message}"));
        }
    }

    /// <summary>200 with <paramref name="value"/> written through its contract.</summary>
    public static IResult Ok<T>(T value, JsonTypeInfo<T> contract) => Results.Json(value, contract);

    /// <summary>
    /// 202 Accepted with the approval request's location (<c>/admin/api/approvals/{id}</c>) and <paramref name="value"/>
    /// written through its contract.
    /// </summary>
    public static IResult Accepted<T>(HttpContext http, string location, T value, JsonTypeInfo<T> contract)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.Headers.Location = location;
        return Results.Json(value, contract, statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>
    /// The problem to answer unless <paramref name="tenant"/> exists and the caller may read it (or, with
    /// <paramref name="change"/>, change it): 404 for an unknown tenant, 403 for a tenant that is not the caller's or a
    /// change by a viewer. Null when the caller may go on.
    /// </summary>
    public static IResult? DenyTenant(string tenant, HttpContext http, TenantDirectory tenants, bool change = false)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(tenants);
        if (tenants.Find(tenant) is null)
        {
            return NotFound($"No tenant '{tenant}'.");
        }

        var actor = http.User.Actor();
        return change
            ? actor.CanChange(tenant) ? null : Forbidden($"'{actor.Name}' may not change tenant '{tenant}'.")
            : actor.CanRead(tenant) ? null : Forbidden($"'{actor.Name}' is not an admin of tenant '{tenant}'.");
    }

    public static IResult BadRequest(string detail) => Problem(StatusCodes.Status400BadRequest, "Bad request", detail);

    public static IResult Forbidden(string detail) => Problem(StatusCodes.Status403Forbidden, "Forbidden", detail);

    public static IResult NotFound(string detail) => Problem(StatusCodes.Status404NotFound, "Not found", detail);

    public static IResult Problem(int status, string title, string detail) =>
        Results.Problem(detail: detail, statusCode: status, title: title);

    /// <summary>The group's endpoints answer a store outage with 503 and a refused failover with its status, as problem+json.</summary>
    public static RouteGroupBuilder AnswerStoreAndFailoverErrors(this RouteGroupBuilder group) =>
        group.AddEndpointFilter(async (context, next) =>
        {
            try
            {
                return await next(context);
            }
            catch (StateUnavailableException ex)
            {
                return Problem(StatusCodes.Status503ServiceUnavailable, "State store unavailable", ex.Message);
            }
            catch (FailoverException ex)
            {
                return FromFailover(ex);
            }
        });

    public static IResult FromFailover(FailoverException ex) => ex.Kind switch
    {
        FailoverErrorKind.Invalid => BadRequest(ex.Message),
        FailoverErrorKind.Forbidden => Forbidden(ex.Message),
        FailoverErrorKind.NotFound => NotFound(ex.Message),
        _ => Problem(StatusCodes.Status409Conflict, "Conflict", ex.Message),
    };

    private static IResult TooLarge() =>
        Problem(StatusCodes.Status413PayloadTooLarge, "Body too large", $"Admin request bodies are limited to {MaxBodyBytes / 1024} KB.");
}
