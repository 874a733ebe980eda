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
        public const string MicrophoneDenied = "MICROPHONE_DENIED";
        public const string MicrophoneUnsupported = "MICROPHONE_UNSUPPORTED";
        public const string MicrophoneNeedsGesture = "MICROPHONE_NEEDS_GESTURE";

        /// <summary>Sentences for the codes this SDK raises itself (the server's are in ProtocolErrors).</summary>
        internal static readonly Dictionary<string, string> ClientSentences = new Dictionary<string, string>
        {
            { ConnectionLost, "The connection to the lesson was lost and could not be restored; open the lesson again to continue where you left off." },
            { UtteranceOpenTimeout, "The server did not start listening in time; please try again." },
            { NetworkError, "The server could not be reached; check the connection and the server address." },
            { ResponseInvalid, "The server's answer could not be read; is the server address (and its path prefix) right?" },
            { MicrophoneUnavailable, "No microphone could be started (none connected, or another app is using it). You can type your answers." },
            { MicrophoneDenied, "The microphone is not allowed. Allow it in the browser's address bar or the device's settings, or type your answers." },
            { MicrophoneUnsupported, "This browser cannot record audio here (a secure https page is needed). You can type your answers." },
            { MicrophoneNeedsGesture, "Click or tap anywhere on the page to turn the microphone on, then speak." },
            { ProtocolErrors.MatchmakingFailed, "The lesson could not be opened; please try again." },
        };

        private static readonly HashSet<string> SignInAgain = new HashSet<string>
        {
            AuthTokenMissing, AuthTokenInvalid, AuthTokenExpired, AuthUnknownUser,
        };

        /// <summary>
        /// Transient conditions: the same request, unchanged, may succeed a little later (after
        /// <see cref="KotoError.RetryAfterMs"/> when given, else with back-off). Not in it: refusals that
        /// need the player or the app to do something else (SESSION_LIVE asks for a join by id instead:
        /// <see cref="SessionMoves.AfterRefusal"/>), and attempt failures the server evaluates again by
        /// itself (<see cref="AttemptFailures.WillBeRetried"/>).
        /// </summary>
        private static readonly HashSet<string> TryLater = new HashSet<string>
        {
            // Limits and load: wait, then the same request is let through.
            "RATE_LIMITED", "SIGN_IN_BUSY", "SERVER_BUSY", SpeechRateLimited, SpeechBusy,
            // A part of the server is down or restarting for a moment.
            "STORE_UNAVAILABLE", "REDIS_UNAVAILABLE", "SERVER_DRAINING", "SESSION_RESUMING", "SESSION_UNREACHABLE",
            "AUDIO_VAD_UNAVAILABLE", "RECORDING_STORAGE_UNAVAILABLE", "SERVER_RESTARTED_NO_AUDIO", Internal,
            // The network, or an answer still being worked on.
            "BODY_TIMEOUT", "DISCONNECTED", "ATTEMPT_BUSY",
            // This SDK's own: the connection, and Colyseus' refusals that are not ours (a seat reservation
            // that expired, a session not open yet while another participant resumes it, a process shutting down).
            NetworkError, ConnectionLost, UtteranceOpenTimeout, ProtocolErrors.MatchmakingFailed,
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

        /// <summary>The same request may work a little later, unchanged (see <see cref="KotoError.RetryAfterMs"/> for when).</summary>
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
        /// Reads a matchmaking refusal ("ROOM_FULL: this session already has 2 learner(s)", docs/protocol.md):
        /// the text before the first ": " is the code only when it is one of the protocol's codes; anything
        /// else (a network failure, Colyseus' own "seat reservation expired") is <see cref="ProtocolErrors.MatchmakingFailed"/>.
        /// </summary>
        public static KotoError FromMatchmakeMessage(string message)
        {
            message = message ?? "";
            int colon = message.IndexOf(": ", StringComparison.Ordinal);
            if (colon > 0 && ProtocolErrors.IsKnown(message.Substring(0, colon))) return new KotoError(message.Substring(0, colon), message.Substring(colon + 2));
            return new KotoError(ProtocolErrors.MatchmakingFailed, message);
        }

        /// <summary>
        /// Reads a matchmaking refusal that came back over HTTP (the Colyseus SDK's <c>HttpException</c>:
        /// onAuth, onCreate and the server's matchmaking gate refuse there, before any socket opens). The
        /// server's body is <c>{ "code": httpStatus, "error": "CODE: sentence" }</c>; the SDK puts its
        /// <c>error</c> in the exception's message when it could read it, else UnityWebRequest's own text
        /// ("HTTP/1.1 503 Service Unavailable", "Cannot connect to destination host"). A whole JSON body as
        /// the message is read too. Status 0 is a request that got no answer at all: the network.
        /// </summary>
        public static KotoError FromHttpRefusal(int status, string message, IJsonReader json)
        {
            string text = message ?? "";
            int retryAfterMs = 0;
            MatchmakeErrorBody body = MatchmakeErrorBody.TryRead(text, json);
            if (body != null)
            {
                if (!string.IsNullOrEmpty(body.error)) text = body.error;
                retryAfterMs = Math.Max(0, body.retryAfterMs);
            }
            KotoError refusal = FromMatchmakeMessage(text);
            if (refusal.Code != ProtocolErrors.MatchmakingFailed) return new KotoError(refusal.Code, refusal.Message, retryAfterMs);
            if (status <= 0) return new KotoError(NetworkError, text.Length > 0 ? "Could not reach the lesson server: " + text : "Could not reach the lesson server.");
            return new KotoError(ProtocolErrors.MatchmakingFailed, text.Length > 0 ? text : "HTTP " + status, retryAfterMs);
        }
    }

    /// <summary>An error with the server's stable code, the server's detailed message, and the sentence to show.</summary>
    public class KotoError
    {
        public KotoError(string code, string message, int retryAfterMs = 0)
        {
            Code = code;
            Message = message;
            RetryAfterMs = retryAfterMs;
        }

        public string Code { get; private set; }

        /// <summary>The server's English message, with details (which step, which limit): for logs.</summary>
        public string Message { get; private set; }

        /// <summary>For limits: when trying again can succeed; 0 when not given.</summary>
        public int RetryAfterMs { get; private set; }

        /// <summary>What to show a player: the protocol's sentence for the code (translate it by <see cref="Code"/> in a localized game).</summary>
        public string Sentence
        {
            // A code newer than this SDK gets the generic sentence: the raw message is not for players.
            get { return ProtocolErrors.SentenceFor(Code, ProtocolErrors.SentenceFor(ErrorCodes.Internal, "Something went wrong; please try again.")); }
        }

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
