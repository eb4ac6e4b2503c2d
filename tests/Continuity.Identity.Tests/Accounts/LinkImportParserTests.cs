using System.Text;
using Continuity.Identity.Accounts;

namespace Continuity.Identity.Tests.Accounts;

/// <summary>The export parser: formats, bad input with its line, bounds.</summary>
public sealed class LinkImportParserTests
{
    [Fact]
    public void ParseCsv_HeaderQuotesCrlfCommentsAndBlankLines_RowsWithTheirLines()
    {
        var (rows, errors) = LinkImportParser.ParseCsv("email,provider,subject,name\r\n# exported 2025-06-01\r\n\r\nAlice@Demo.test,primary,p-1,\"Arbiter, \"\"Al\"\" Alice\"\r\nbob@demo.test , sovereign , s-2\n");

        Assert.Empty(errors);
        Assert.Equal(
            [new LinkImportRow(4, "alice@demo.test", "Arbiter, \"Al\" Alice", "primary", null, "p-1"), new LinkImportRow(5, "bob@demo.test", null, "sovereign", null, "s-2")],
            rows);
    }

    [Fact]
    public void ParseCsv_OversizedNulUnterminatedAndMissing_EachLineReported()
    {
        var text = string.Join("\n",
            "alice@demo.test,primary," + new string('x', 256),
            "bob@demo.test,primary,s\0",
            "carol@demo.test,primary,\"open",
            ",primary,p-4",
            "dan,primary,p-5");

        var (rows, errors) = LinkImportParser.ParseCsv(text);

        Assert.Empty(rows);
        Assert.Equal([1, 2, 3, 4, 5], errors.Select(e => e.Line));
        Assert.Contains("longer than 255", errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("control character", errors[1].Message, StringComparison.Ordinal);
        Assert.Contains("unterminated", errors[2].Message, StringComparison.Ordinal);
        Assert.Contains("email is required", errors[3].Message, StringComparison.Ordinal);
        Assert.Contains("is not an address", errors[4].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseJson_EntriesOnTheirLines_WrongTypesReportedNotThrown()
    {
        var json = Encoding.UTF8.GetBytes("""
            [
              { "email": "alice@demo.test", "name": "Alice",
                "links": [ { "provider": "primary", "subject": "p-1" }, { "provider": "sovereign", "issuer": "https://s/", "subject": "s-1" } ] },
              { "email": 42, "links": [ { "provider": "primary", "subject": "p-2" } ] },
              "bob@demo.test",
              { "email": "carol@demo.test", "links": [ 7 ] }
            ]
            """);

        var (rows, errors) = LinkImportParser.ParseJson(json);

        Assert.Equal([("alice@demo.test", "primary", (string?)null, 2), ("alice@demo.test", "sovereign", "https://s/", 2)],
            rows.Select(r => (r.Email, r.Provider, r.Issuer, r.Line)));
        Assert.Equal([4, 5, 6], errors.Select(e => e.Line));
        Assert.Contains("[1].links[0].email '42' is not an address", errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseJson_TruncatedOrNotAnArray_OneErrorNoRows()
    {
        var truncated = LinkImportParser.ParseJson("[\n {\"email\": \"a@demo.test\",\n"u8);
        var notArray = LinkImportParser.ParseJson("{}"u8);

        Assert.Empty(truncated.Rows);
        Assert.Contains("not valid JSON", Assert.Single(truncated.Errors).Message, StringComparison.Ordinal);
        Assert.Contains("JSON array", Assert.Single(notArray.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseCsv_MoreThanTheLimit_Refused()
    {
        var text = string.Concat(Enumerable.Range(0, LinkImportParser.MaxRows + 1).Select(i => $"u{i}@demo.test,primary,p-{i}\n"));

        var (rows, errors) = LinkImportParser.ParseCsv(text);

        Assert.Equal(LinkImportParser.MaxRows, rows.Count);
        Assert.Contains("more than 20000 links", Assert.Single(errors).Message, StringComparison.Ordinal);
    }
}
