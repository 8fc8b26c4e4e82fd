using System.Globalization;
using AccountSecurity.Localization;

namespace AccountSecurity.Reauthentication;

/// <summary>Words for the <see cref="SensitiveOperation"/> list, for messages and documentation.</summary>
public static class SensitiveOperations
{
    /// <summary>Every sensitive operation, in the order of <see cref="SensitiveOperation"/>.</summary>
    public static IReadOnlyList<SensitiveOperation> All { get; } = Enum.GetValues<SensitiveOperation>();

    /// <summary>
    /// What <paramref name="operation"/> is, in a few plain English words ("change the password"), as the documentation
    /// names it; the enum name for an undefined value. Never depends on the current culture.
    /// </summary>
    public static string Describe(SensitiveOperation operation) => Describe(operation, CultureInfo.InvariantCulture);

    /// <summary>
    /// What <paramref name="operation"/> is, in a few plain words of <paramref name="culture"/>'s language (English and
    /// German ship; any other falls back to English); the enum name for an undefined value. Never throws.
    /// </summary>
    public static string Describe(SensitiveOperation operation, CultureInfo culture) =>
        Enum.IsDefined(operation)
            ? UserMessages.ResourceManager.GetString("Operation_" + operation, culture ?? CultureInfo.InvariantCulture) ?? operation.ToString()
            : operation.ToString();
}
