using System.Diagnostics.CodeAnalysis;
using AccountSecurity.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AccountSecurity.DependencyInjection;

/// <summary>Returned by <c>AddAccountSecurity()</c>: plugs stores, sinks and senders into the library.</summary>
public sealed class AccountSecurityBuilder
{
    internal AccountSecurityBuilder(IServiceCollection services) => Services = services;

    /// <summary>The host's service collection, for store packages' extension methods.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Adds a sink that receives every security event (in addition to the logging sink).</summary>
    /// <remarks>
    /// The container creates <typeparamref name="TSink"/> through its public constructor; the annotation tells the
    /// trimmer and Native AOT to keep that constructor, so the sink works in a trimmed or AOT-compiled app too.
    /// Adding the same sink type twice registers it once.
    /// </remarks>
    public AccountSecurityBuilder AddEventSink<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TSink>()
        where TSink : class, ISecurityEventSink
    {
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<ISecurityEventSink, TSink>());
        return this;
    }

    /// <summary>
    /// Registers <typeparamref name="TSender"/> as the <see cref="Notifications.ISecurityNotificationSender"/> that
    /// delivers security notifications (password changed, 2FA turned off, new sign-in…) to account owners. Without a
    /// sender no notification is prepared or queued. A later registration replaces an earlier one.
    /// </summary>
    /// <param name="lifetime">
    /// The sender's lifetime: <see cref="ServiceLifetime.Singleton"/> (the default) or <see cref="ServiceLifetime.Scoped"/>
    /// (it is resolved in the scope of each notification, so it may use a scoped outbox or DbContext).
    /// </param>
    /// <remarks>
    /// The annotation keeps <typeparamref name="TSender"/>'s public constructor under trimming and Native AOT. The sender
    /// is never called on the request's thread and never receives a secret.
    /// </remarks>
    public AccountSecurityBuilder AddSecurityNotificationSender<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TSender>(ServiceLifetime lifetime = ServiceLifetime.Singleton)
        where TSender : class, Notifications.ISecurityNotificationSender
    {
        if (lifetime == ServiceLifetime.Transient)
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), lifetime, "A security notification sender is a singleton or scoped.");
        }

        Services.Add(ServiceDescriptor.Describe(typeof(Notifications.ISecurityNotificationSender), typeof(TSender), lifetime));
        return this;
    }

    /// <summary>Adds a sink instance that receives every security event.</summary>
    public AccountSecurityBuilder AddEventSink(ISecurityEventSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        Services.AddSingleton(sink);
        return this;
    }
}
