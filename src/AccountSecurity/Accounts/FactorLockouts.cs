using System.Collections;
using System.Collections.Immutable;
using AccountSecurity.Lockout;

namespace AccountSecurity.Accounts;

/// <summary>
/// The failure counting of every factor of one user, keyed by <see cref="AuthenticationFactor"/>: an immutable map in
/// which a factor without an entry is <see cref="FactorLockoutState.Clear"/>. A new factor needs no new field, column
/// or store change: its state is one more entry. Equality is by content, so two records with the same counts are equal.
/// </summary>
public sealed class FactorLockouts : IReadOnlyCollection<KeyValuePair<AuthenticationFactor, FactorLockoutState>>, IEquatable<FactorLockouts>
{
    private readonly ImmutableSortedDictionary<AuthenticationFactor, FactorLockoutState> _states;

    private FactorLockouts(ImmutableSortedDictionary<AuthenticationFactor, FactorLockoutState> states) => _states = states;

    /// <summary>No factor has failures or a lock.</summary>
    public static FactorLockouts None { get; } = new(ImmutableSortedDictionary<AuthenticationFactor, FactorLockoutState>.Empty);

    /// <summary>How many factors have a state other than <see cref="FactorLockoutState.Clear"/>.</summary>
    public int Count => _states.Count;

    /// <summary>The state of <paramref name="factor"/>; <see cref="FactorLockoutState.Clear"/> when it has none. Never throws.</summary>
    public FactorLockoutState this[AuthenticationFactor factor] => Get(factor);

    /// <summary>Builds the map from <paramref name="states"/> (a later entry for a factor wins; null and clear states are dropped).</summary>
    /// <param name="states">The states by factor, as a store read them.</param>
    /// <returns>The map; <see cref="None"/> when no state remains.</returns>
    public static FactorLockouts From(IEnumerable<KeyValuePair<AuthenticationFactor, FactorLockoutState>> states)
    {
        ArgumentNullException.ThrowIfNull(states);
        var result = None;
        foreach (var (factor, state) in states)
        {
            result = result.With(factor, state);
        }

        return result;
    }

    /// <summary>The state of <paramref name="factor"/>; <see cref="FactorLockoutState.Clear"/> when it has none. Never throws.</summary>
    public FactorLockoutState Get(AuthenticationFactor factor) => _states.TryGetValue(factor, out var state) ? state : FactorLockoutState.Clear;

    /// <summary>A copy with <paramref name="factor"/> set to <paramref name="state"/> (a clear or null state removes the entry). This instance is unchanged.</summary>
    public FactorLockouts With(AuthenticationFactor factor, FactorLockoutState? state) =>
        state is null || state == FactorLockoutState.Clear
            ? (_states.ContainsKey(factor) ? new(_states.Remove(factor)) : this)
            : new(_states.SetItem(factor, state));

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<AuthenticationFactor, FactorLockoutState>> GetEnumerator() => _states.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public bool Equals(FactorLockouts? other) =>
        other is not null && (ReferenceEquals(this, other) || (_states.Count == other._states.Count && _states.All(kv => other.Get(kv.Key) == kv.Value)));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as FactorLockouts);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var (factor, state) in _states)
        {
            hash.Add(factor);
            hash.Add(state);
        }

        return hash.ToHashCode();
    }

    /// <summary>The counts and lock ends by factor (no secret is part of this state).</summary>
    public override string ToString() => "{ " + string.Join(", ", _states.Select(kv => $"{kv.Key} = {kv.Value}")) + " }";
}
