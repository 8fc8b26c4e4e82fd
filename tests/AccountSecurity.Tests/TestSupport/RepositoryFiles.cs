namespace AccountSecurity.Tests.TestSupport;

/// <summary>The repository the tests run from, for the tests that read its source (architecture rules).</summary>
internal static class RepositoryFiles
{
    /// <summary>The folder holding <c>AccountSecurity.sln</c>, found upwards from the test assembly; throws when there is none.</summary>
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AccountSecurity.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("AccountSecurity.sln not found above " + AppContext.BaseDirectory);
    }
}
