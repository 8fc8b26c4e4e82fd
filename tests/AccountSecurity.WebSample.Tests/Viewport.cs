namespace AccountSecurity.WebSample.Tests;

/// <summary>
/// A screen the console is tried on (issue 12): a desktop browser, or a phone — touch, no mouse, the page laid out
/// for the device width. Test names carry <see cref="ToString"/>, e.g. <c>ConsoleUsabilityTests(phone 390x844)</c>.
/// </summary>
public sealed record Viewport(string Name, int Width, int Height, bool IsPhone)
{
    /// <summary>A laptop-sized browser window, driven with the mouse.</summary>
    public static readonly Viewport Desktop = new("desktop", 1280, 800, IsPhone: false);

    /// <summary>A current phone in portrait, driven by touch.</summary>
    public static readonly Viewport Phone = new("phone", 390, 844, IsPhone: true);

    /// <summary>The fixture arguments that run a fixture once per screen: <c>[TestFixtureSource(typeof(Viewport), nameof(Both))]</c>.</summary>
    public static IEnumerable<TestFixtureData> Both =>
        [Fixture(Desktop), Fixture(Phone)];

    /// <inheritdoc />
    public override string ToString() => $"{Name} {Width}x{Height}";

    private static TestFixtureData Fixture(Viewport viewport) => new TestFixtureData(viewport).SetArgDisplayNames(viewport.ToString());
}
