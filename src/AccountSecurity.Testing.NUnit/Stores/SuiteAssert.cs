using System.Collections;
using System.Collections.Immutable;
using System.Globalization;
using System.Reflection;
using NUnit.Framework;

namespace AccountSecurity.Testing.Stores;

/// <summary>
/// The suites' assertions beyond <c>Assert.That</c>: awaiting a call that must throw, and comparing two domain records
/// member by member, nested records and collections included, in order. The records' own equality is not enough for a store round-trip: it compares arrays by reference, and some records (a passkey) compare
/// only the members that identify them. Instants compare as instants (<see cref="DateTimeOffset.Equals(DateTimeOffset)"/>);
/// the suites pin the exact ticks separately.
/// </summary>
/// <remarks>
/// Written with NUnit's <see cref="Assert"/> alone, so the suites need no assertion library (and nothing of one reaches
/// a test project). A failure lists every differing member by path; the values are the suites' sample data, never a
/// real secret.
/// </remarks>
internal static class SuiteAssert
{
    private const int MaxDepth = 16;

    /// <summary>Fails unless <paramref name="actual"/> has every public member of <paramref name="expected"/>, recursively and in order.</summary>
    /// <param name="actual">What the store returned.</param>
    /// <param name="expected">What it must equal.</param>
    /// <param name="excluding">Top-level members left out of the comparison.</param>
    public static void Equivalent<T>(T? actual, T? expected, params string[] excluding)
    {
        var differences = new List<string>();
        Compare(actual, expected, "$", 0, differences, excluding);
        if (differences.Count > 0)
        {
            Assert.Fail($"{typeof(T).Name} differs in {differences.Count} member(s):\n" + string.Join("\n", differences.Take(30)));
        }
    }

    /// <summary>Fails unless awaiting <paramref name="call"/> throws <typeparamref name="TException"/> (or a type derived from it).</summary>
    /// <param name="call">The call that must throw.</param>
    public static async Task ThrowsAsync<TException>(Func<Task> call)
        where TException : Exception
    {
        try
        {
            await call().ConfigureAwait(false);
        }
        catch (TException)
        {
            return;
        }
#pragma warning disable CA1031 // Any other exception is the finding, reported by its type only.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Assert.Fail($"expected {typeof(TException).Name} but {ex.GetType().Name} was thrown");
        }

        Assert.Fail($"expected {typeof(TException).Name} but nothing was thrown");
    }

    private static void Compare(object? actual, object? expected, string path, int depth, List<string> differences, string[] excluding)
    {
        if (expected is null || actual is null)
        {
            if (expected is not null || actual is not null)
            {
                differences.Add($"{path}: expected {Show(expected)} but was {Show(actual)}");
            }

            return;
        }

        var type = expected.GetType();
        if (actual.GetType() != type)
        {
            differences.Add($"{path}: expected a {type.Name} but was a {actual.GetType().Name}");
            return;
        }

        if (IsLeaf(type) || depth > MaxDepth)
        {
            if (!expected.Equals(actual))
            {
                differences.Add($"{path}: expected {Show(expected)} but was {Show(actual)}");
            }

            return;
        }

        if (IsDefaultImmutableArray(expected) || IsDefaultImmutableArray(actual))
        {
            if (IsDefaultImmutableArray(expected) != IsDefaultImmutableArray(actual))
            {
                differences.Add($"{path}: expected {(IsDefaultImmutableArray(expected) ? "a default array" : "an array")} but was {(IsDefaultImmutableArray(actual) ? "a default array" : "an array")}");
            }

            return;
        }

        if (expected is IEnumerable expectedItems)
        {
            var expectedList = expectedItems.Cast<object?>().ToList();
            var actualList = ((IEnumerable)actual).Cast<object?>().ToList();
            if (expectedList.Count != actualList.Count)
            {
                differences.Add($"{path}: expected {expectedList.Count} item(s) but found {actualList.Count}");
                return;
            }

            for (var i = 0; i < expectedList.Count; i++)
            {
                Compare(actualList[i], expectedList[i], $"{path}[{i}]", depth + 1, differences, []);
            }

            return;
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.GetMethod is null || excluding.Contains(property.Name, StringComparer.Ordinal))
            {
                continue;
            }

            Compare(property.GetValue(actual), property.GetValue(expected), path + "." + property.Name, depth + 1, differences, []);
        }
    }

    private static bool IsLeaf(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(DateTime)
        || type == typeof(DateTimeOffset) || type == typeof(TimeSpan) || type == typeof(Guid) || type == typeof(Uri)
        || (!typeof(IEnumerable).IsAssignableFrom(type) && type.GetProperties(BindingFlags.Public | BindingFlags.Instance).All(p => p.GetIndexParameters().Length > 0));

    private static bool IsDefaultImmutableArray(object value) =>
        value.GetType() is { IsGenericType: true } type && type.GetGenericTypeDefinition() == typeof(ImmutableArray<>)
        && (bool)type.GetProperty(nameof(ImmutableArray<int>.IsDefault))!.GetValue(value)!;

    private static string Show(object? value) => value switch
    {
        null => "null",
        string s => s.Length <= 80 ? $"\"{s}\"" : $"\"{s[..80]}…\" ({s.Length} characters)",
        DateTimeOffset d => d.ToString("O", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? value.GetType().Name,
    };
}
