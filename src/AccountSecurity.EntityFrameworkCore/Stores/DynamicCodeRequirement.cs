using System.Runtime.CompilerServices;

namespace AccountSecurity.EntityFrameworkCore.Stores;

/// <summary>
/// The EF Core stores need dynamic code. Under Native AOT (<see cref="RuntimeFeature.IsDynamicCodeSupported"/> is
/// <see langword="false"/>) EF Core 10 builds no model and compiles no LINQ query at run time: it only runs queries
/// that were precompiled into the application's own assembly, and these stores' queries live in this package's
/// assembly, where that precompilation cannot reach them. Failing with this message at registration (or at a store's
/// creation) names the way forward, where EF's own error ("Model building is not supported when publishing with
/// NativeAOT", then "Query wasn't precompiled") would point at a compiled model that cannot help.
/// </summary>
internal static class DynamicCodeRequirement
{
    /// <summary>Where the package README says what a Native AOT host does instead.</summary>
    public const string DocumentationUrl =
        "https://github.com/accountsecurity/accountsecurity/blob/main/src/AccountSecurity.EntityFrameworkCore/README.md#trimming-and-native-aot";

    /// <summary>The message; it names no value of the host's (no connection string, no secret).</summary>
    public const string Message =
        "AccountSecurity.EntityFrameworkCore cannot run without dynamic code (Native AOT): EF Core builds no model and "
        + "compiles no LINQ query at run time there, and the queries of AccountSecurity's EF Core stores are compiled "
        + "into this package, where EF's query precompilation (a compiled model with precompiled queries) cannot reach "
        + "them. Run the EF Core stores in a JIT-compiled process, or keep the AOT-compatible AccountSecurity package and "
        + "implement IUserStore and IContractStore over AOT-safe data access, checked with the store conformance suites of "
        + "AccountSecurity.Testing.NUnit. See " + DocumentationUrl;

    /// <summary>Throws <see cref="InvalidOperationException"/> with <see cref="Message"/> when this process cannot run dynamic code.</summary>
    public static void EnsureSupported() => EnsureSupported(RuntimeFeature.IsDynamicCodeSupported);

    /// <summary>Throws <see cref="InvalidOperationException"/> with <see cref="Message"/> unless <paramref name="isDynamicCodeSupported"/>.</summary>
    public static void EnsureSupported(bool isDynamicCodeSupported)
    {
        if (!isDynamicCodeSupported)
        {
            throw new InvalidOperationException(Message);
        }
    }
}
