namespace Continuity.Core.Configuration;

/// <summary>Mail listener ports (0 = off). The HTTP listeners come from ASP.NET Core's <c>--urls</c>.</summary>
public sealed class ListenerOptions
{
    public string Address { get; set; } = "127.0.0.1";
    public int Smtp { get; set; }
    public int Submission { get; set; }
    public int Imap { get; set; }
    public int Imaps { get; set; }
}
