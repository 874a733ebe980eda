using System;
using System.Collections.Generic;

namespace Koto.Live.Core
{
    /// <summary>
    /// Error codes a Unity client meets: from the HTTP API (<c>{ error: { code, message } }</c>), from
    /// matchmaking (the message starts with the code), and from the room (<c>error { code, message, type }</c>).
    /// The server's sentence is shown to the learner; this table adds what the client does about it.
    /// </summary>
    public static class ErrorCodes
    {
        // HTTP API
        public const string BodyInvalid = "BODY_INVALID";
        public const string BodyNotJson = "BODY_NOT_JSON";
        public const string LoginFailed = "LOGIN_FAILED";
        public const string AuthTokenMissing = "AUTH_TOKEN_MISSING";
        public const string AuthTokenInvalid = "AUTH_TOKEN_INVALID";
        public const string AuthTokenExpired = "AUTH_TOKEN_EXPIRED";
        public const string AuthUnknownUser = "AUTH_UNKNOWN_USER";
        public const string RoleForbidden = "ROLE_FORBIDDEN";
        public const string PackNotFound = "PACK_NOT_FOUND";
        public const string LessonNotFound = "LESSON_NOT_FOUND";
        public const string AttemptNotFound = "ATTEMPT_NOT_FOUND";
        public const string NotFound = "NOT_FOUND";
        public const string Internal = "INTERNAL";

        // Matchmaking
        public const string RoomOptionsInvalid = "ROOM_OPTIONS_INVALID";
        public const string JoinOptionsInvalid = "JOIN_OPTIONS_INVALID";
        public const string RoomFull = "ROOM_FULL";
        public const string AlreadyInRoom = "ALREADY_IN_ROOM";

        // Room messages
        public const string MessageInvalid = "MESSAGE_INVALID";
        public const string MessageUnknown = "MESSAGE_UNKNOWN";
        public const string SessionEnded = "SESSION_ENDED";
        public const string SessionNotRunning = "SESSION_NOT_RUNNING";
        public const string StepMismatch = "STEP_MISMATCH";
        public const string NotYourTurn = "NOT_YOUR_TURN";

        // Speech
        public const string AudioFormatUnsupported = "AUDIO_FORMAT_UNSUPPORTED";
        public const string AudioFrameTooLarge = "AUDIO_FRAME_TOO_LARGE";
        public const string AudioFrameTooShort = "AUDIO_FRAME_TOO_SHORT";
        public const string AudioFrameOddLength = "AUDIO_FRAME_ODD_LENGTH";
        public const string AudioFrameInvalid = "AUDIO_FRAME_INVALID";
        public const string AudioWithoutUtterance = "AUDIO_WITHOUT_UTTERANCE";
        public const string AudioTooEarly = "AUDIO_TOO_EARLY";
        public const string AudioRateExceeded = "AUDIO_RATE_EXCEEDED";
        public const string UtteranceAlreadyOpen = "UTTERANCE_ALREADY_OPEN";
        public const string UtteranceClosed = "UTTERANCE_CLOSED";
        public const string UtteranceTooLong = "UTTERANCE_TOO_LONG";
        public const string NoOpenUtterance = "NO_OPEN_UTTERANCE";
        public const string AttemptIdTaken = "ATTEMPT_ID_TAKEN";
        public const string SpeechRateLimited = "SPEECH_RATE_LIMITED";
        public const string SpeechBusy = "SPEECH_BUSY";
        public const string SpeechDailyLimit = "SPEECH_DAILY_LIMIT";
        public const string SpeechBudgetExhausted = "SPEECH_BUDGET_EXHAUSTED";

        // Raised by this SDK itself, never by the server.
        public const string ConnectionLost = "CONNECTION_LOST";
        public const string UtteranceOpenTimeout = "UTTERANCE_OPEN_TIMEOUT";
        public const string NetworkError = "NETWORK_ERROR";
        public const string ResponseInvalid = "RESPONSE_INVALID";
        public const string MicrophoneUnavailable = "MICROPHONE_UNAVAILABLE";

        private static readonly HashSet<string> SignInAgain = new HashSet<string>
        {
            AuthTokenMissing, AuthTokenInvalid, AuthTokenExpired, AuthUnknownUser,
        };

        private static readonly HashSet<string> TryLater = new HashSet<string>
        {
            SpeechRateLimited, SpeechBusy, Internal, NetworkError, ConnectionLost, UtteranceOpenTimeout,
        };

        private static readonly HashSet<string> UtteranceGone = new HashSet<string>
        {
            AudioWithoutUtterance, UtteranceClosed, UtteranceTooLong, NoOpenUtterance, SessionEnded,
        };

        /// <summary>The token is no good: sign in again (a guest gets a fresh guest token).</summary>
        public static bool NeedsSignIn(string code)
        {
            return code != null && SignInAgain.Contains(code);
        }

        /// <summary>The same request may work a little later.</summary>
        public static bool IsRetryable(string code)
        {
            return code != null && TryLater.Contains(code);
        }

        /// <summary>The server no longer has an open utterance for this learner: stop streaming.</summary>
        public static bool EndsUtterance(string code)
        {
            return code != null && UtteranceGone.Contains(code);
        }

        /// <summary>
        /// Splits a matchmaking refusal ("ROOM_FULL: this session already has 2 learner(s)") into code
        /// and sentence; a message without a code prefix comes back with code <see cref="Internal"/>.
        /// </summary>
        public static KotoError FromMatchmakeMessage(string message)
        {
            if (string.IsNullOrEmpty(message)) return new KotoError(Internal, "The server refused to open the lesson.");
            int colon = message.IndexOf(": ", StringComparison.Ordinal);
            if (colon > 0 && IsCode(message.Substring(0, colon))) return new KotoError(message.Substring(0, colon), message.Substring(colon + 2));
            return new KotoError(Internal, message);
        }

        private static bool IsCode(string candidate)
        {
            foreach (char character in candidate)
            {
                if (!((character >= 'A' && character <= 'Z') || (character >= '0' && character <= '9') || character == '_')) return false;
            }
            return candidate.Length > 0;
        }
    }

    /// <summary>An error with the server's stable code and a sentence a person can act on.</summary>
    public class KotoError
    {
        public KotoError(string code, string message)
        {
            Code = code;
            Message = message;
        }

        public string Code { get; private set; }
        public string Message { get; private set; }

        public override string ToString()
        {
            return Code + ": " + Message;
        }
    }

    /// <summary>Thrown by the SDK's asynchronous calls; carries the <see cref="KotoError"/>.</summary>
    public class KotoException : Exception
    {
        public KotoException(KotoError error, int httpStatus = 0) : base(error.ToString())
        {
            Error = error;
            HttpStatus = httpStatus;
        }

        public KotoError Error { get; private set; }
        public string Code { get { return Error.Code; } }
        public int HttpStatus { get; private set; }
    }
}
