namespace Koto.Live.Core
{
    /// <summary>
    /// Reading the server's error codes. The table itself (Protocol.g.cs) is generated from
    /// protocol/error-codes.ts, the one list the server and the web client use; clients show a code's
    /// sentence (translated, in a localized game), never the code or the server's raw message.
    /// </summary>
    public static partial class ProtocolErrors
    {
        /// <summary>A refusal to create or join a room that is not one of ours (network, Colyseus itself).</summary>
        public const string MatchmakingFailed = "MATCHMAKING_FAILED";

        public static bool IsKnown(string code)
        {
            return code != null && Sentences.ContainsKey(code);
        }

        /// <summary>The default English sentence for <paramref name="code"/>, or <paramref name="fallback"/> for a code this SDK does not know.</summary>
        public static string SentenceFor(string code, string fallback)
        {
            string sentence;
            if (code != null && Sentences.TryGetValue(code, out sentence)) return sentence;
            if (code != null && ErrorCodes.ClientSentences.TryGetValue(code, out sentence)) return sentence;
            return fallback;
        }
    }
}
