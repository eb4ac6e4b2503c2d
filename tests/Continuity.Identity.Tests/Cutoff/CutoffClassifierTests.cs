using Continuity.Identity.Configuration;
using Continuity.Identity.Cutoff;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;

namespace Continuity.Identity.Tests.Cutoff;

public sealed class CutoffClassifierTests
{
    private static CutoffClassifier Classifier(Action<CutoffOptions>? configure = null)
    {
        var options = new IdentityOptions();
        configure?.Invoke(options.Cutoff);
        return new CutoffClassifier(Options.Create(options));
    }

    [Theory]
    [InlineData("50057", CutoffClass.PerUser)]
    [InlineData("50034", CutoffClass.PerUser)]
    [InlineData("50105", CutoffClass.PerUser)]
    [InlineData("53011", CutoffClass.PerUser)]
    [InlineData("53003", CutoffClass.Policy)]
    [InlineData("50053", CutoffClass.Policy)]
    [InlineData("530032", CutoffClass.Policy)]
    [InlineData("700016", CutoffClass.Tenant)]
    [InlineData("7000112", CutoffClass.Tenant)]
    [InlineData("90002", CutoffClass.Tenant)]
    [InlineData("7000215", CutoffClass.Tenant)]
    [InlineData("50126", CutoffClass.None)]
    [InlineData("50076", CutoffClass.None)]
    public void Classify_FrontChannelAadstsInDescription_DefaultClass(string code, CutoffClass expected)
    {
        var message = new OpenIddictResponse { Error = "access_denied", ErrorDescription = $"AADSTS{code}: something. Trace ID: 1" };

        var error = CutoffClassifier.Read("authorization", message)!;

        Assert.Equal([code], error.Codes);
        Assert.Equal(expected, Classifier().Classify(error));
    }

    [Fact]
    public void Read_TokenEndpointErrorCodesArray_CodesKept()
    {
        var message = new OpenIddictResponse { Error = "invalid_grant", ErrorDescription = "no code in here" };
        message["error_codes"] = new OpenIddictParameter(System.Text.Json.JsonSerializer.SerializeToElement(new[] { 50057, 50034 }));

        var error = CutoffClassifier.Read("token", message)!;

        Assert.Equal(["50057", "50034"], error.Codes);
        Assert.Equal(CutoffClass.PerUser, Classifier().Classify(error));
    }

    [Theory]
    [InlineData("temporarily_unavailable", null, CutoffClass.Transient)]
    [InlineData("server_error", null, CutoffClass.Transient)]
    [InlineData("invalid_grant", 503, CutoffClass.Transient)]
    [InlineData("invalid_grant", 400, CutoffClass.None)]
    [InlineData("access_denied", null, CutoffClass.None)]
    public void Classify_NoCode_ByErrorThenStatus(string oauthError, int? status, CutoffClass expected) =>
        Assert.Equal(expected, Classifier().Classify(new UpstreamError("token", oauthError, null, [], status)));

    [Fact]
    public void Classify_ConfiguredCode_OverridesDefault()
    {
        var classifier = Classifier(c => c.Codes["53003"] = CutoffClass.PerUser);

        Assert.Equal(CutoffClass.PerUser, classifier.Classify(new UpstreamError("authorization", "access_denied", null, ["53003"])));
    }

    [Fact]
    public void Read_NotAnError_Null() =>
        Assert.Null(CutoffClassifier.Read("authorization", new OpenIddictRequest { Code = "abc" }));

    [Fact]
    public void Evidence_KeepsUpstreamWordsOnOneLine()
    {
        var evidence = CutoffReporter.Evidence(new UpstreamError("token", "invalid_grant", "AADSTS50057: disabled.\r\nTrace ID: 1", ["50057"]), CutoffClass.PerUser);

        Assert.Equal("PerUser at upstream token endpoint: invalid_grant codes 50057: AADSTS50057: disabled. Trace ID: 1", evidence);
    }
}
