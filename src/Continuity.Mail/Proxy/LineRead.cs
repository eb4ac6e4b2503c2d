namespace Continuity.Mail.Proxy;

/// <summary>One line from <see cref="BoundedReader"/>: a line (without CR LF), a line too long for the bound, or the end of the stream.</summary>
internal readonly record struct LineRead(LineStatus Status, ReadOnlyMemory<byte> Line);
