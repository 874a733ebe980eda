namespace Koto.Live.Core
{
    /// <summary>Message names of the lesson room (docs/protocol.md), in one place.</summary>
    public static class MessageTypes
    {
        public const string RoomName = "lesson";

        // Learner → server
        public const string Start = "start";
        public const string Answer = "answer";
        public const string Next = "next";
        public const string Hint = "hint";
        public const string UtteranceOpen = "utterance-open";
        public const string UtteranceClose = "utterance-close";
        /// <summary>Bytes: <c>[uint32 LE sequence][PCM16 LE]</c>.</summary>
        public const string Audio = "audio";

        // Server → client
        public const string Error = "error";
        public const string UtteranceOpened = "utterance-opened";
        public const string UtteranceEnded = "utterance-ended";
        public const string AttemptAccepted = "attempt-accepted";
        public const string SessionEnded = "session-ended";
        public const string TutorHint = "tutor-hint";
        /// <summary>A tutor moved the lesson: <c>{ by, step, direction }</c>.</summary>
        public const string TutorMoved = "tutor-moved";
        /// <summary>The process is stopping; the socket will close with SessionMoves.MovingCloseCode and the session moves.</summary>
        public const string ServerDraining = "server-draining";
        public const string UtteranceStarted = "utterance-started";
        /// <summary>Bytes: <c>[uint8 n][attemptId, n ASCII bytes][the learner's frame as sent]</c>.</summary>
        public const string LearnerAudio = "learner-audio";

        /// <summary>The <c>platform</c> join option a Unity client sends, so tutors see it.</summary>
        public const string PlatformUnity = "unity";
    }

    /// <summary>Attempt statuses as the server writes them in state.</summary>
    public static class AttemptStatuses
    {
        public const string Recording = "recording";
        public const string Evaluating = "evaluating";
        public const string Scored = "scored";
        public const string Failed = "failed";
        public const string AwaitingTutor = "awaiting-tutor";

        public static bool IsFinished(string status)
        {
            return status == Scored || status == Failed || status == AwaitingTutor;
        }
    }
}
