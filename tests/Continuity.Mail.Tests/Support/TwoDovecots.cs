using Continuity.Testing;

namespace Continuity.Mail.Tests.Support;

/// <summary>Primary and sovereign mailboxes: two real Dovecots with alice and bob (shared by one test class; tests use unique markers).</summary>
public sealed class TwoDovecots : IDisposable
{
    public DovecotServer Primary { get; } = DovecotServer.Start("primary", "alice@demo.test", "bob@demo.test");

    public DovecotServer Sovereign { get; } = DovecotServer.Start("sovereign", "alice@demo.test", "bob@demo.test");

    public void Dispose()
    {
        Primary.Dispose();
        Sovereign.Dispose();
    }
}
