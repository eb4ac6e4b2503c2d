namespace Continuity.Gateway.Tests.Support;

/// <summary>A transaction held after its final dot: <see cref="Reached"/> once its body is in, answered by <see cref="Release"/>.</summary>
internal sealed class BackendStall
{
    private readonly TaskCompletionSource<BackendTransaction> _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> _reply = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The held transaction, once the gateway has sent its whole body and waits for the reply.</summary>
    public Task<BackendTransaction> Reached => _reached.Task;

    /// <summary>Ends the stall with this reply (e.g. <see cref="SlowLmtpBackend.Stored"/>, or a 451).</summary>
    public void Release(string reply) => _reply.TrySetResult(reply);

    internal async Task<string> WaitAsync(BackendTransaction transaction, CancellationToken token)
    {
        _reached.TrySetResult(transaction);
        return await _reply.Task.WaitAsync(token);
    }
}
