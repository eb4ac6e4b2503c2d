namespace Continuity.Core.Configuration;

/// <summary>Mail listener ports (0 = off). The HTTP listeners come from ASP.NET Core's <c>--urls</c>.</summary>
public sealed class ListenerOptions
{
    public string Address { get; set; } = "127.0.0.1";
    public int Smtp { get; set; }
    public int Submission { get; set; }
    public int Imap { get; set; }
    public int Imaps { get; set; }

    /// <summary>
    /// Port of the management listener (0 = none, the default): an HTTP listener that serves only <c>/health/*</c> and
    /// <c>/metrics</c>, without credentials, for monitors. On the public listeners <c>/health/status</c> and
    /// <c>/metrics</c> need an admin credential, because they tell who failed over.
    /// </summary>
    public int Management { get; set; }

    /// <summary>Address of the management listener. Default loopback: a monitor on another host needs this changed on purpose.</summary>
    public string ManagementAddress { get; set; } = "127.0.0.1";
}
