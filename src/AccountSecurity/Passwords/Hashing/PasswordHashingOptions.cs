namespace AccountSecurity.Passwords.Hashing;

/// <summary>Settings of the default bcrypt hasher.</summary>
public sealed class PasswordHashingOptions
{
    /// <summary>The lowest work factor accepted outside tests (OWASP: at least 10).</summary>
    public const int MinimumProductionWorkFactor = 10;

    /// <summary>bcrypt's work factor (log2 of the rounds). Raising it makes existing hashes be rehashed at the next successful sign-in or change.</summary>
    /// <value>Defaults to 12.</value>
    public int WorkFactor { get; set; } = 12;

    /// <summary>
    /// How far above <see cref="WorkFactor"/> the cost of a stored hash may be by default: 2, so one check of such a
    /// hash costs at most four times a normal one (each +1 doubles bcrypt's cost).
    /// </summary>
    /// <remarks>
    /// Why 2: a sign-in may wait <see cref="MaxQueueTime"/> (3 s by default) for its turn, and every sign-in queued
    /// behind a check waits for that check too. At the default work factor 12 a check takes about a quarter of a second
    /// on one idle core (benchmarks/README.md: 66 ms at 10), so a stored hash at 14 (about 1 s) still fits inside that
    /// wait; one at 15 takes about 2 s, and one at 16 over 4 s on an idle core (29 s measured under load), more than a
    /// sign-in can wait, for every attempt anyone makes on that account.
    /// </remarks>
    public const int DefaultMaximumWorkFactorMargin = 2;

    /// <summary>
    /// The highest bcrypt cost a stored hash (a password's or a support PIN's, typically imported from another system)
    /// may have. A hash above it is refused without being computed: the check answers as for a wrong password, at the
    /// cost of one at <see cref="WorkFactor"/> (never at the stored hash's cost), the operator is told through a log line
    /// with <see cref="Results.SecurityErrorCodes.StoredHashCostTooHigh"/>, and nothing matches it until it is replaced (a
    /// password reset, or a re-import at a lower cost). Without the bound, one record with <c>$2b$16$</c> costs tens of
    /// seconds of CPU per attempt, and <c>$2b$31$</c> days.
    /// </summary>
    /// <value>
    /// Defaults to <see langword="null"/>: <see cref="WorkFactor"/> + <see cref="DefaultMaximumWorkFactorMargin"/> (14 with
    /// the default work factor 12), what a sign-in can afford. When set: at least <see cref="WorkFactor"/> (and the
    /// support PIN's work factor), at most 31, bcrypt's own limit. Set it when lowering <see cref="WorkFactor"/> by more
    /// than two, until the users with older, costlier hashes have signed in again (a costlier hash than configured is
    /// never rehashed down), and when importing hashes that cost more: each step above the default doubles what every
    /// attempt on such an account costs, wrong guesses included.
    /// </value>
    public int? MaximumWorkFactor { get; set; }

    /// <summary>
    /// Lets <see cref="WorkFactor"/> go as low as 4. Only for test suites; a host that sets it in production
    /// makes password hashes cheap to crack.
    /// </summary>
    /// <value>Defaults to <see langword="false"/>.</value>
    public bool AllowInsecureWorkFactorForTesting { get; set; }

    /// <summary>
    /// How many bcrypt computations (password, support PIN and the dummy work for unknown accounts) may run at once in
    /// this process. They run on dedicated threads, never on the thread pool, so cheap requests (session checks, TOTP
    /// steps, pages) keep their threads however many sign-ins arrive.
    /// </summary>
    /// <value>Defaults to the processor count: more only adds context switches, since bcrypt is all CPU.</value>
    public int MaxConcurrentComputations { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// Runs the hashing threads below normal scheduling priority (Windows: <see cref="ThreadPriority.BelowNormal"/>;
    /// Linux: nice 10, set with <c>setpriority</c> on each thread, since the runtime's thread priority is ignored there),
    /// so that the host's other threads (a session check, a TOTP step, a page, a busy answer) take a core the moment
    /// they need one instead of waiting for bcrypt's time slice. On an otherwise idle machine bcrypt still has every
    /// core. The trade: when the host's other work alone fills the cores, sign-ins wait, and past
    /// <see cref="MaxQueueTime"/> are answered busy, never counted as failed attempts. Elsewhere, or where the system
    /// refuses, the threads keep normal priority.
    /// </summary>
    /// <value>Defaults to <see langword="true"/>.</value>
    public bool RunBelowNormalPriority { get; set; } = true;

    /// <summary>
    /// The longest a bcrypt computation may wait for its turn. A request whose expected wait (judged when it arrives
    /// from the queue's length and how long turns lately took) is more than three quarters of it is answered at once
    /// as busy, with a retry-after, instead of queueing, so the ones admitted are served in time even when the estimate
    /// runs a little short; one that waits this long anyway is answered busy then. Neither is counted as a failed
    /// attempt.
    /// </summary>
    /// <value>Defaults to 3 seconds.</value>
    public TimeSpan MaxQueueTime { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>The most bcrypt computations that may wait at once, whatever their expected wait (a memory bound).</summary>
    /// <value>Defaults to 1,000.</value>
    public int QueueLimit { get; set; } = 1000;

    internal IEnumerable<string> Validate()
    {
        if (MaxConcurrentComputations is < 1 or > 1024)
        {
            yield return $"Hashing.MaxConcurrentComputations must be between 1 and 1024 (it is {MaxConcurrentComputations}).";
        }

        if (MaxQueueTime <= TimeSpan.Zero || MaxQueueTime > TimeSpan.FromMinutes(5))
        {
            yield return $"Hashing.MaxQueueTime must be more than zero and at most 5 minutes (it is {MaxQueueTime}).";
        }

        if (QueueLimit is < 0 or > 1_000_000)
        {
            yield return $"Hashing.QueueLimit must be between 0 and 1,000,000 (it is {QueueLimit}).";
        }

        var minimum = AllowInsecureWorkFactorForTesting ? 4 : MinimumProductionWorkFactor;
        if (WorkFactor < minimum || WorkFactor > 20)
        {
            yield return $"Hashing.WorkFactor must be between {minimum} and 20 (it is {WorkFactor}).";
        }

        if (MaximumWorkFactor is { } maximum && (maximum < WorkFactor || maximum > 31))
        {
            yield return $"Hashing.MaximumWorkFactor must be at least Hashing.WorkFactor ({WorkFactor}) and at most 31 (it is {maximum}).";
        }
    }

    /// <summary>The bound in force: <see cref="MaximumWorkFactor"/>, or <see cref="WorkFactor"/> + <see cref="DefaultMaximumWorkFactorMargin"/>.</summary>
    internal int EffectiveMaximumWorkFactor => MaximumWorkFactor ?? Math.Min(WorkFactor + DefaultMaximumWorkFactorMargin, 31);
}
