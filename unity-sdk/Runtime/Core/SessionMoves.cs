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

        /// <summary>Back-off for getting back: 250 ms doubling to 5 s with jitter, until <see cref="GiveUpAfterMs"/>.</summary>
        public static ReconnectPolicy NewPolicy(System.Func<double> random = null)
        {
            return new ReconnectPolicy(250, 5000, 1000, GiveUpAfterMs, random);
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
