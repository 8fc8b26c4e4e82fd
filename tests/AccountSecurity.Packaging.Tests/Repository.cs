using System.Diagnostics;

namespace AccountSecurity.Packaging.Tests;

/// <summary>Where the repository is and what it is at: found from the test's folder, never hard-coded.</summary>
internal static class Repository
{
    /// <summary>The published repository URL, as Directory.Build.props names it once.</summary>
    public const string Url = "https://github.com/accountsecurity/accountsecurity";

    public static readonly string[] PackageIds = ["AccountSecurity", "AccountSecurity.EntityFrameworkCore", "AccountSecurity.AspNetCore", "AccountSecurity.Passkeys", "AccountSecurity.BreachedPasswords", "AccountSecurity.Testing", "AccountSecurity.Testing.NUnit", "AccountSecurity.Redis"];

    private static readonly Lazy<string> LazyRoot = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AccountSecurity.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("AccountSecurity.sln not found above " + AppContext.BaseDirectory);
    });

    /// <summary>The repository root (the folder of AccountSecurity.sln).</summary>
    public static string Root => LazyRoot.Value;

    public static string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>The commit checked out, by <c>git rev-parse HEAD</c>.</summary>
    public static string HeadCommit()
    {
        var start = new ProcessStartInfo("git", "rev-parse HEAD")
        {
            WorkingDirectory = Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var git = Process.Start(start) ?? throw new InvalidOperationException("git did not start");
        var output = git.StandardOutput.ReadToEnd().Trim();
        git.WaitForExit();
        return git.ExitCode == 0 ? output : throw new InvalidOperationException("git rev-parse HEAD failed");
    }
}
