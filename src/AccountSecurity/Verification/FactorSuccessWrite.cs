using AccountSecurity.Accounts;
using AccountSecurity.Lockout;
using AccountSecurity.Stores;

namespace AccountSecurity.Verification;

/// <summary>
/// The rule "a success is written on freshly read state, re-checked": the one place where a factor's success becomes a
/// write. It runs inside the read-modify-write loop, so it decides on the state being written (again after every
/// conflict), never on the state the secret was compared with. A strategy only proposes its changes
/// (<see cref="FactorStrategy"/>'s acceptance); it cannot skip the checks here, and it never writes itself.
/// </summary>
internal static class FactorSuccessWrite
{
    /// <summary>
    /// Decides the success write of a matched secret on <paramref name="current"/>. In order: the account must still
    /// exist; a one-time secret a concurrent request used first is a replay (asked first, because the winner's own
    /// write breaks the later checks too, and the loser must be told a replay); then the account must still be active,
    /// its security stamp the one the reservation saw (no credential or factor change, no "sign out everywhere" since
    /// the comparison), the caller's <paramref name="precondition"/> must hold, and the factor's secret must still be
    /// the one that matched. Then the factor's count is cleared and <paramref name="onSuccess"/> adds the caller's
    /// changes to the same write.
    /// </summary>
    public static RecordChange<UserAccount, FactorCheck> Decide(
        FactorStrategy strategy,
        LockoutBudget budget,
        UserAccount reserved,
        UserAccount? current,
        Func<UserAccount, bool>? precondition,
        Func<UserAccount, UserAccount>? onSuccess)
    {
        if (current is null)
        {
            return UserChange.Keep(FactorCheck.Of(FactorStatus.Unavailable));
        }

        var acceptance = strategy.AcceptMatched(current);
        if (acceptance.Status == FactorStatus.Replayed)
        {
            return UserChange.Keep(FactorCheck.Of(FactorStatus.Replayed));
        }

        if (!current.IsActive
            || !string.Equals(current.SecurityStamp, reserved.SecurityStamp, StringComparison.Ordinal)
            || (precondition is not null && !precondition(current))
            || acceptance.Status != FactorStatus.Verified
            || acceptance.Next is null)
        {
            return UserChange.Keep(FactorCheck.Of(FactorStatus.Unavailable));
        }

        // The identity and the version are the store's, whatever the strategy returned.
        // Only the budget the attempt was charged to is cleared: a known device's success never wipes out what
        // strangers built up in the untrusted budget (nor the other way round).
        var next = budget.With(acceptance.Next, FactorLockoutState.Clear) with { Id = current.Id, Version = current.Version };
        if (onSuccess is not null)
        {
            next = onSuccess(next);
        }

        return UserChange.Save(next, new FactorCheck(FactorStatus.Verified, next with { Version = current.Version + 1 }));
    }
}
