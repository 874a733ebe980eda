namespace Koto.Live.Core
{
    /// <summary>What to do after a try to get back into a session was refused.</summary>
    public enum ResumeStep
    {
        /// <summary>Try the same again after the back-off (a process is starting, busy, draining, or the network is down).</summary>
        Retry,
        /// <summary>Another participant already resumed it, or it is still open: join it by id.</summary>
        JoinById,
        /// <summary>Our old seat is still held (a network drop, not a stop): take it back with the reconnection token.</summary>
        ReconnectSeat,
        /// <summary>It cannot come back (ended, expired, not found, not allowed): stop trying.</summary>
        GiveUp,
    }

    /// <summary>
    /// A session's way back after its socket closed (docs/protocol.md, "When a process stops"): a
    /// draining process closes with <see cref="MovingCloseCode"/> and the client resumes the session on
    /// any process with <c>create("lesson", { lessonId, resume: sessionId })</c>; a dropped socket first
    /// tries to take its held seat back. Pure, so the rules are tested without Unity; LessonSession
    /// applies them on the game clock through <see cref="ReconnectPolicy"/>.
    /// </summary>
    public static partial class SessionMoves
    {
        /// <summary>The web client's give-up time; the server keeps a stopped session resumable much longer.</summary>
        public const double GiveUpAfterMs = 120000;

        /// <summary>
        /// Tries within <see cref="GiveUpAfterMs"/>: the deadline, not a count, ends getting back (at the 5 s
        /// cap that is about 25 tries); a count only guards against a caller whose clock stands still.
        /// </summary>
        public const int MaxTries = 100;

        /// <summary>
        /// How often the Colyseus SDK retries a dropped socket by itself before it gives up (close 4003) and
        /// <see cref="SessionRecovery"/> takes over: with the SDK's back-off (200, 400, 800 ms) about 1.5 s,
        /// the time the web client gives its SDK before checking whether the process is gone. The SDK's
        /// default (15, about a minute) keeps knocking on a process that died while the session could
        /// already be resumed on another.
        /// </summary>
        public const int SdkMaxRetries = 3;

        /// <summary>
        /// The SDK retries only rooms joined at least this long ago; a younger one is closed with 1006
        /// (its default is 5 s). The web client's figure: a learner may lose the network seconds after opening a lesson.
        /// </summary>
        public const int SdkMinUptimeMs = 500;

        // WebSocket close codes after which the session is over for this client (the web client's rule):
        // a normal closure, this client leaving, and Colyseus' own shutdown of a room that does not move.
        public const int NormalClosureCode = 1000;
        public const int ConsentedCloseCode = 4000;
        public const int ServerShutdownCloseCode = 4001;

        /// <summary>The Colyseus SDK's close code for "reconnection failed" (or, on WebGL, not attempted).</summary>
        public const int FailedToReconnectCloseCode = 4003;

        /// <summary>Back-off for getting back: 250 ms doubling to 5 s with jitter, until <see cref="GiveUpAfterMs"/>.</summary>
        public static ReconnectPolicy NewPolicy(System.Func<double> random = null)
        {
            return new ReconnectPolicy(250, 5000, MaxTries, GiveUpAfterMs, random);
        }

        /// <summary>
        /// True when a socket closed with <paramref name="closeCode"/> means the session is over for this
        /// client. Every other code is worth getting back from: 4100 (moving), 4003 (the SDK gave up), 1006
        /// (abnormal; also what the SDK reports for a room younger than its minimum uptime), 1001/1005,
        /// 4002 (closed with an error), 1011–1014 (server error, restart, try later) and codes this SDK does
        /// not know, each bounded by the refusals and the deadline of <see cref="SessionRecovery"/>.
        /// </summary>
        public static bool EndsSession(int closeCode)
        {
            return closeCode == NormalClosureCode || closeCode == ConsentedCloseCode || closeCode == ServerShutdownCloseCode;
        }

        public static ResumeStep AfterRefusal(string code)
        {
            if (code == null) return ResumeStep.Retry;
            if (OpenCodes.Contains(code)) return ResumeStep.JoinById;
            if (code == ErrorCodes.AlreadyInRoom) return ResumeStep.ReconnectSeat;
            switch (code)
            {
                case "SESSION_ENDED":
                case "SESSION_EXPIRED":
                case "SESSION_NOT_FOUND":
                case "SESSION_LESSON_MISMATCH":
                case "ROOM_FULL":
                case "LESSON_NOT_FOUND":
                case "ROLE_FORBIDDEN":
                    return ResumeStep.GiveUp;
            }
            return ErrorCodes.NeedsSignIn(code) ? ResumeStep.GiveUp : ResumeStep.Retry;
        }
    }
}
