namespace Continuity.Core.Credentials;

/// <summary>
/// App password text: 36 characters from a 32-letter alphabet without look-alikes (180 random bits),
/// shown in groups of four (<c>abcd-efgh-…</c>). The first eight are the public id used to find the
/// stored hash; the other 28 (140 bits) are secret. Input is accepted with or without separators, any case.
/// </summary>
internal static class AppPasswordFormat
{
    public const int Length = 36;
    public const int IdLength = 8;
    private const string Alphabet = "abcdefghijkmnpqrstuvwxyz23456789";

    public static string Generate()
    {
        Span<char> chars = stackalloc char[Length];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }

        return new string(chars);
    }

    /// <summary>The grouped form shown to the user.</summary>
    public static string Display(string normalized) =>
        string.Join('-', Enumerable.Range(0, Length / 4).Select(i => normalized.Substring(i * 4, 4)));

    /// <summary>The normalized password, or null when the input cannot be an app password (bounded: never scans more than 100 characters).</summary>
    public static string? Normalize(string input)
    {
        if (input.Length > 100)
        {
            return null;
        }

        Span<char> chars = stackalloc char[Length];
        var n = 0;
        foreach (var c in input)
        {
            if (c is '-' or ' ')
            {
                continue;
            }

            var lower = char.ToLowerInvariant(c);
            if (n == Length || !Alphabet.Contains(lower, StringComparison.Ordinal))
            {
                return null;
            }

            chars[n++] = lower;
        }

        return n == Length ? new string(chars) : null;
    }

    public static byte[] Hash(string normalized, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(normalized, salt, iterations, HashAlgorithmName.SHA256, 32);

    public static bool Verify(string normalized, byte[] salt, int iterations, byte[] expected) =>
        CryptographicOperations.FixedTimeEquals(Hash(normalized, salt, iterations), expected);
}
