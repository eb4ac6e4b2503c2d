namespace Continuity.Demo.Upstreams;

/// <summary>A person the demo upstreams know: no passwords, the picker signs them in.</summary>
internal sealed record DemoUser(string Address, string Name, string Role)
{
    /// <summary>The demo tenant's people: three users and the three admins of config/demo.json.</summary>
    public static readonly IReadOnlyList<DemoUser> All =
    [
        new("alice@demo.test", "Alice Arbiter", "judge"),
        new("bob@demo.test", "Bob Bailiff", "clerk"),
        new("carol@demo.test", "Carol Counsel", "registrar"),
        new("ops@demo.test", "Olga Ops", "admin (operator)"),
        new("second@demo.test", "Sam Second", "second admin (operator)"),
        new("auditor@demo.test", "Vera Viewer", "auditor (viewer)"),
    ];

    public static DemoUser? Find(string? address) =>
        All.FirstOrDefault(u => string.Equals(u.Address, address?.Trim(), StringComparison.OrdinalIgnoreCase));
}
