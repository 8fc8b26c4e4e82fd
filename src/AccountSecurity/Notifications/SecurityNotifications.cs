using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using AccountSecurity.Background;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Diagnostics;
using AccountSecurity.Events;
using AccountSecurity.Lockout;
using AccountSecurity.Sessions;
using AccountSecurity.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AccountSecurity.Notifications;

/// <summary>
/// Security notifications, from event to sender: turns security events (through <see cref="SecurityNotificationSink"/>)
/// and e-mail changes (<see cref="EmailChanged"/>) into work on a bounded background queue, whose workers compose
/// each notification in a DI scope of their own (durable stores are scoped) and hand it to the host's
/// <see cref="ISecurityNotificationSender"/> with a timeout per attempt and retries with backoff. A singleton.
/// </summary>
/// <remarks>
/// Runs on the library's one <see cref="BackgroundWorkQueue"/> (as <see cref="Passwords.Reset.PasswordResetQueue"/>
/// does), with an instance and a bound of its own, so a flood of reset requests cannot crowd out notifications nor
/// the reverse. An item's scope and the services it needs (stores, sender) are made when it is queued, as the reset
/// queue does, so what is queued still runs while the container is being disposed; the item has no timeout as a
/// whole, because it is several attempts with waits between them, each under <see cref="SecurityNotificationOptions.SendTimeout"/>. Enqueueing never blocks: a full queue drops the notification with a
/// warning and a count (<see cref="CounterName"/>, outcome <c>dropped_queue_full</c>).
/// </remarks>
internal sealed class SecurityNotifications : IAsyncDisposable, IDisposable
{
    /// <summary>How many notifications are worked on at once.</summary>
    internal const int Workers = 2;

    /// <summary>The counter of notification outcomes (tags: kind and outcome, both bounded).</summary>
    internal const string CounterName = "accountsecurity.security_notifications";

    /// <summary>Flood-control entries beyond this are swept of expired ones, so the table cannot grow without bound.</summary>
    private const int FloodTableSweepSize = 10_000;

    private readonly SecurityNotificationOptions _options;
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Meter _meter;
    private readonly Counter<long> _outcomes;
    private readonly BackgroundWorkQueue? _queue;
    private readonly ConcurrentDictionary<(string UserId, SecurityNotificationKind Kind), DateTimeOffset> _lastSent = new();
    private int _offLogged;
    private int _disposed;

    public SecurityNotifications(
        IOptions<AccountSecurityOptions> options,
        IServiceScopeFactory scopes,
        bool senderRegistered,
        TimeProvider time,
        ILogger<SecurityNotifications> logger,
        IMeterFactory? meterFactory = null)
    {
        _options = options.Value.Notifications;
        _scopes = scopes;
        _time = time;
        _logger = logger;
        IsEnabled = senderRegistered;
        _meter = meterFactory?.Create(MetricsSecurityEventSink.MeterName) ?? new Meter(MetricsSecurityEventSink.MeterName);
        _outcomes = _meter.CreateCounter<long>(CounterName, unit: "{notification}", description: "Security notifications by kind and outcome: sent, attempt_failed, dropped_queue_full, dropped_after_retries, dropped_shutting_down, suppressed_flood, preparation_failed.");
        if (senderRegistered)
        {
            // No timeout for the whole item: each store read and each attempt has its own (SendTimeout), and retries wait between.
            _queue = new BackgroundWorkQueue(_options.MaxQueuedNotifications, Workers, workTimeout: null, time, type => Log.NotificationWorkFailed(logger, type));
        }
    }

    /// <summary>The meter the outcome counter belongs to (tests listen to this instance only).</summary>
    internal Meter Meter => _meter;

    /// <summary>Whether a sender is registered; without one nothing is queued.</summary>
    public bool IsEnabled { get; }

    /// <summary>
    /// Queues the notification <paramref name="securityEvent"/> calls for, if any. Never blocks and never throws for a
    /// well-formed event: a full queue drops it (logged and counted).
    /// </summary>
    public void OnEvent(SecurityEvent securityEvent)
    {
        if (securityEvent.UserId is not { } userId || KindOf(securityEvent) is not { } kind)
        {
            return;
        }

        Enqueue(new NotificationRequest(kind, userId, securityEvent.OccurredAt, securityEvent.SessionId, securityEvent.Type, securityEvent.Factor));
    }

    /// <summary>
    /// Tells the old and the new address of <paramref name="userId"/> that the account's e-mail address changed from
    /// <paramref name="oldEmail"/> to <paramref name="newEmail"/> at <paramref name="at"/>. Call it after the change was
    /// written (the event stream cannot carry the old address; the <see cref="SecurityEventType.EmailChanged"/> event itself
    /// sends nothing, so each change is told once). Never blocks, never throws for a queue that is full or off.
    /// </summary>
    /// <param name="userId">The account.</param>
    /// <param name="contractId">The account's contract (kept for symmetry with events; not written into the message).</param>
    /// <param name="oldEmail">The address before the change.</param>
    /// <param name="newEmail">The address after the change.</param>
    /// <param name="sessionId">The session of the user that changed it (its public id), for the device and address; <see langword="null"/> when none (an administrator's change).</param>
    /// <param name="at">When it changed.</param>
    internal void EmailChanged(string userId, string contractId, string oldEmail, string newEmail, string? sessionId, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(contractId);
        ArgumentNullException.ThrowIfNull(oldEmail);
        ArgumentNullException.ThrowIfNull(newEmail);
        Enqueue(new NotificationRequest(SecurityNotificationKind.EmailChanged, userId, at, sessionId, SecurityEventType.EmailChanged, null, oldEmail, newEmail));
    }

    /// <summary>Completes when everything queued so far was sent, dropped or given up on (the deterministic wait for tests).</summary>
    public Task WhenIdleAsync() => _queue?.WhenIdleAsync() ?? Task.CompletedTask;

    /// <summary>Stops taking notifications and waits for the queued ones (a retry still waiting is given up, logged and counted).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            if (_queue is not null)
            {
                await _queue.DisposeAsync().ConfigureAwait(false);
            }

            _meter.Dispose();
        }
    }

    /// <summary>For a container disposed synchronously: the queued notifications still get their attempt before this returns.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _queue?.Dispose();
            _meter.Dispose();
        }
    }

    /// <summary>The kind an event calls for; <see langword="null"/> for events that notify nobody.</summary>
    internal static SecurityNotificationKind? KindOf(SecurityEvent securityEvent) => securityEvent.Type switch
    {
        SecurityEventType.PasswordChanged => SecurityNotificationKind.PasswordChanged,
        SecurityEventType.PasswordResetCompleted => SecurityNotificationKind.PasswordResetCompleted,
        SecurityEventType.TwoFactorEnabled => SecurityNotificationKind.TwoFactorEnabled,
        SecurityEventType.TwoFactorDisabled => SecurityNotificationKind.TwoFactorDisabled,
        SecurityEventType.TwoFactorReset => SecurityNotificationKind.TwoFactorResetByAdministrator,
        SecurityEventType.TwoFactorForced => SecurityNotificationKind.TwoFactorForced,
        SecurityEventType.RecoveryCodesRegenerated => SecurityNotificationKind.RecoveryCodesRegenerated,
        SecurityEventType.RecoveryCodeUsed => SecurityNotificationKind.RecoveryCodeUsed,
        SecurityEventType.PasskeyAdded => SecurityNotificationKind.PasskeyAdded,
        SecurityEventType.PasskeyRemoved => SecurityNotificationKind.PasskeyRemoved,
        SecurityEventType.SupportPinSet or SecurityEventType.SupportPinChanged => SecurityNotificationKind.SupportPinSet,
        SecurityEventType.SupportPinRemoved => SecurityNotificationKind.SupportPinRemoved,

        // The untrusted budget locked: strangers (or the owner on a new device) are refused. TrustedDeviceLockedOut is not
        // told: it locks one device the owner signed in from before, whose user sees the lock on that screen, and the
        // account stays open everywhere else (docs/notifications.md).
        SecurityEventType.LockedOut => SecurityNotificationKind.AccountLocked,
        SecurityEventType.PasswordFoundInBreach when securityEvent.Outcome == "marked" => SecurityNotificationKind.PasswordFoundInBreach,

        // Only a session the event names can be compared with the user's others.
        SecurityEventType.SessionStarted when securityEvent.SessionId is not null => SecurityNotificationKind.NewDeviceSignIn,

        // EmailChanged is told through EmailChanged(), which knows the old address; the event alone would send it twice.
        _ => null,
    };

    /// <summary>
    /// Flood control: whether a <paramref name="kind"/> notification to <paramref name="userId"/> may go now (and, if
    /// so, records it). Only <see cref="SecurityNotificationKind.AccountLocked"/> and
    /// <see cref="SecurityNotificationKind.NewDeviceSignIn"/> are limited: a stranger can cause them at will.
    /// </summary>
    /// <remarks>Measured on the times the events happened, not when a worker got to them, so a backlog changes nothing.</remarks>
    internal bool TryClaim(string userId, SecurityNotificationKind kind, DateTimeOffset now)
    {
        if (kind is not (SecurityNotificationKind.AccountLocked or SecurityNotificationKind.NewDeviceSignIn) || _options.FloodInterval <= TimeSpan.Zero)
        {
            return true;
        }

        var key = (userId, kind);
        while (true)
        {
            if (_lastSent.TryGetValue(key, out var last))
            {
                if (now - last < _options.FloodInterval)
                {
                    return false;
                }

                if (_lastSent.TryUpdate(key, now, last))
                {
                    return true;
                }
            }
            else if (_lastSent.TryAdd(key, now))
            {
                SweepFloodTable(now);
                return true;
            }
        }
    }

    internal void Count(SecurityNotificationKind kind, string outcome) =>
        _outcomes.Add(
            1,
            new KeyValuePair<string, object?>("accountsecurity.notification.kind", Enum.IsDefined(kind) ? kind.ToString() : "Unknown"),
            new KeyValuePair<string, object?>("accountsecurity.notification.outcome", outcome));

    private void SweepFloodTable(DateTimeOffset now)
    {
        if (_lastSent.Count <= FloodTableSweepSize)
        {
            return;
        }

        foreach (var entry in _lastSent)
        {
            if (now - entry.Value >= _options.FloodInterval)
            {
                _lastSent.TryRemove(entry);
            }
        }
    }

    private void Enqueue(NotificationRequest request)
    {
        if (_queue is null)
        {
            if (Interlocked.Exchange(ref _offLogged, 1) == 0)
            {
                Log.NotificationsOff(_logger);
            }

            return;
        }

        AsyncServiceScope scope;
        NotificationWork work;
        try
        {
            // Resolved now (allocations, no I/O): once the container is being disposed, nothing can be resolved any more.
            scope = _scopes.CreateAsyncScope();
            var services = scope.ServiceProvider;
            work = new NotificationWork(
                new SecurityNotificationComposer(services.GetRequiredService<GuardedUserStore>(), services.GetRequiredService<ISessionStore>(), _options),
                services.GetRequiredService<ISecurityNotificationSender>());
        }
        catch (ObjectDisposedException)
        {
            Dropped(request, "dropped_shutting_down");
            return;
        }

        var result = _queue.TryEnqueue(_ => ProcessSafelyAsync(request, work), scope);
        if (result != EnqueueResult.Queued)
        {
            ((IDisposable)scope).Dispose(); // still ours when refused; nothing in it has done any work
            Dropped(request, result == EnqueueResult.ShuttingDown ? "dropped_shutting_down" : "dropped_queue_full");
        }
    }

    private void Dropped(NotificationRequest request, string outcome)
    {
        Log.NotificationDropped(_logger, request.Kind, request.UserId, outcome["dropped_".Length..]);
        Count(request.Kind, outcome);
    }

    private async ValueTask ProcessSafelyAsync(NotificationRequest request, NotificationWork work)
    {
        try
        {
            await ProcessAsync(request, work).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Nobody awaits this work: an exception not caught here would vanish. Log it (by type only) and go on.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.NotificationPreparationFailed(_logger, request.Kind, request.UserId, ex.GetType().Name);
            Count(request.Kind, "preparation_failed");
        }
    }

    private async Task ProcessAsync(NotificationRequest request, NotificationWork work)
    {
        IReadOnlyList<SecurityNotification> notifications;
        using (var timeout = new CancellationTokenSource(_options.SendTimeout, _time))
        {
            notifications = await work.Composer.ComposeAsync(request, timeout.Token).ConfigureAwait(false);
        }

        foreach (var notification in notifications)
        {
            if (!TryClaim(notification.UserId, notification.Kind, notification.OccurredAt))
            {
                Log.NotificationSuppressed(_logger, notification.Kind, notification.UserId);
                Count(notification.Kind, "suppressed_flood");
                continue;
            }

            await SendAsync(work.Sender, notification, request.EventType).ConfigureAwait(false);
        }
    }

    private async Task SendAsync(ISecurityNotificationSender sender, SecurityNotification notification, SecurityEventType? eventType)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var timeout = new CancellationTokenSource(_options.SendTimeout, _time);

                // WaitAsync: a sender that ignores its token is abandoned at the timeout all the same.
                await sender.SendAsync(notification, timeout.Token).AsTask().WaitAsync(timeout.Token).ConfigureAwait(false);
                Log.NotificationSent(_logger, notification.Kind, notification.UserId, eventType);
                Count(notification.Kind, "sent");
                return;
            }
#pragma warning disable CA1031 // The host's sender may throw anything; its message may carry an address, so only the type is logged.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                var type = ex is OperationCanceledException ? "Timeout" : ex.GetType().Name;
                Log.NotificationAttemptFailed(_logger, notification.Kind, notification.UserId, type, attempt, _options.MaxAttempts);
                Count(notification.Kind, "attempt_failed");
            }

            if (attempt >= _options.MaxAttempts)
            {
                Log.NotificationGaveUp(_logger, notification.Kind, notification.UserId, attempt);
                Count(notification.Kind, "dropped_after_retries");
                return;
            }

            try
            {
                // 5 s, 10 s, 20 s… by default: a mail server that is down for a moment gets time to come back.
                var delay = _options.RetryDelay * Math.Pow(2, attempt - 1);
                await Task.Delay(delay, _time, _queue!.Stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Log.NotificationDropped(_logger, notification.Kind, notification.UserId, "shutting_down");
                Count(notification.Kind, "dropped_shutting_down");
                return;
            }
        }
    }
}

/// <summary>What one queued item works with, resolved in its own scope when it was queued.</summary>
internal sealed record NotificationWork(SecurityNotificationComposer Composer, ISecurityNotificationSender Sender);

/// <summary>One notification to prepare: what the event said (ids, kind, time), never a secret.</summary>
internal sealed record NotificationRequest(
    SecurityNotificationKind Kind,
    string UserId,
    DateTimeOffset OccurredAt,
    string? SessionId,
    SecurityEventType? EventType,
    AuthenticationFactor? Factor,
    string? OldEmail = null,
    string? NewEmail = null);

/// <summary>The event sink that feeds <see cref="SecurityNotifications"/>: it only queues, so it never delays the operation.</summary>
internal sealed class SecurityNotificationSink(SecurityNotifications notifications) : ISecurityEventSink
{
    public ValueTask OnEventAsync(SecurityEvent securityEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(securityEvent);
        notifications.OnEvent(securityEvent);
        return ValueTask.CompletedTask;
    }
}
