using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Continuity.Identity;
using Microsoft.AspNetCore.RateLimiting;

namespace Continuity.Gateway.RateLimiting;

/// <summary>
/// ASP.NET Core rate limiting (one global, partitioned limiter) on <c>POST /login</c>, <c>/connect/token</c> and
/// <c>/admin/api</c>: a fixed window per endpoint kind and client address (<see cref="RateLimitsOptions"/>). It runs
/// first in the pipeline, so a flood pays for neither authentication nor a store round trip. Everything else passes
/// without a limiter.
/// </summary>
internal static partial class GatewayRateLimiting
{
    public static IServiceCollection AddContinuityRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitsOptions>().Bind(configuration.GetSection(RateLimitsOptions.SectionName)).ValidateOnStartWith<RateLimitsOptions, RateLimitsOptionsValidator>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitsOptions>>((o, limits) =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http => Partition(http, limits.Value));
            o.OnRejected = (context, cancellationToken) => RejectAsync(context, limits.Value, cancellationToken);
        });
        return services;
    }

    /// <summary>Which limit a request falls under, or null.</summary>
    internal static string? Kind(HttpRequest request) =>
        request.Path.StartsWithSegments("/admin/api", StringComparison.OrdinalIgnoreCase) ? "Admin"
        : request.Path.StartsWithSegments("/connect/token", StringComparison.OrdinalIgnoreCase) ? "Token"
        : HttpMethods.IsPost(request.Method) && request.Path.Equals(IdentityDefaults.LoginPath, StringComparison.OrdinalIgnoreCase) ? "Login"
        : null;

    /// <summary>The client's address as counted: IPv4 (also mapped into IPv6) as it is, IPv6 cut to its /64.</summary>
    internal static string ClientKey(IPAddress? remote)
    {
        if (remote is null)
        {
            return "unknown";
        }

        if (remote.IsIPv4MappedToIPv6)
        {
            return remote.MapToIPv4().ToString();
        }

        if (remote.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return remote.ToString();
        }

        var bytes = remote.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    private static EndpointRateLimitOptions Limit(RateLimitsOptions limits, string kind) => kind switch
    {
        "Login" => limits.Login,
        "Token" => limits.Token,
        _ => limits.Admin,
    };

    private static RateLimitPartition<string> Partition(HttpContext http, RateLimitsOptions limits)
    {
        if (Kind(http.Request) is not { } kind || Limit(limits, kind) is not { PermitLimit: > 0 } limit)
        {
            return RateLimitPartition.GetNoLimiter("");
        }

        return RateLimitPartition.GetFixedWindowLimiter(kind + " " + ClientKey(http.Connection.RemoteIpAddress), _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit.PermitLimit,
            Window = limit.Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    private static async ValueTask RejectAsync(OnRejectedContext context, RateLimitsOptions limits, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var kind = Kind(http.Request) ?? "Admin";
        var limit = Limit(limits, kind);
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) && wait > TimeSpan.Zero ? wait : limit.Window;
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(GatewayRateLimiting).FullName!);
        Log.Rejected(logger, kind, ClientKey(http.Connection.RemoteIpAddress), limit.PermitLimit, limit.Window);

        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var detail = string.Create(CultureInfo.InvariantCulture,
            $"Too many requests from your address: at most {limit.PermitLimit} in {limit.Window.TotalSeconds:0} s (Continuity:RateLimits:{kind}). Try again in {seconds} s.");
        if (kind == "Login")
        {
            // A person at the sign-in page reads this; a page of JSON would say less.
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync($"Too many sign-in attempts from your address. Try again in {seconds.ToString(CultureInfo.InvariantCulture)} seconds.\n", cancellationToken).ConfigureAwait(false);
            return;
        }

        await Results.Problem(detail, statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests").ExecuteAsync(http).ConfigureAwait(false);
    }
}
