namespace Continuity.Testing;

/// <summary>
/// Finds a program the tests need. A missing program fails the test with the install command:
/// tests never skip silently.
/// </summary>
public static class RequiredProgram
{
    /// <summary>
    /// Full path of <paramref name="name"/> on PATH (or in /usr/sbin, /usr/bin, /sbin), or throws with
    /// "install it with: apt-get install -y <paramref name="debianPackage"/>".
    /// </summary>
    public static string Find(string name, string debianPackage)
    {
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/usr/bin", "/sbin", "/usr/local/bin", "/usr/local/sbin"]);
        foreach (var dir in dirs)
        {
            var path = Path.Combine(dir, name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new InvalidOperationException(
            $"The tests need '{name}', which is not installed. Install it with: apt-get install -y {debianPackage} " +
            "(or run the README's test command, which installs everything the tests need).");
    }
}
