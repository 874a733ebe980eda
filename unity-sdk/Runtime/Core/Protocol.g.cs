// THIS FILE HAS BEEN GENERATED AUTOMATICALLY by `npm run schema:csharp` from protocol/error-codes.ts
// server/attempts/evaluation-result.ts and protocol/session-moves.ts: do not edit (a test fails when it drifts).
using System.Collections.Generic;

namespace Koto.Live.Core
{
    /// <summary>Every error code the server sends to a client, with its default English sentence (docs/protocol.md).</summary>
    public static partial class ProtocolErrors
    {
        public static readonly Dictionary<string, string> Sentences = new Dictionary<string, string>
        {
            { "AUTH_TOKEN_MISSING", "Please sign in first." },
            { "AUTH_TOKEN_INVALID", "Your sign-in could not be checked. Please sign in again." },
            { "AUTH_TOKEN_EXPIRED", "Your session has expired. Please sign in again." },
            { "AUTH_UNKNOWN_USER", "This account no longer exists. Please sign in again." },
            { "LOGIN_FAILED", "The email or password is not right." },
            { "ACCOUNT_DISABLED", "This account is disabled. Please ask an administrator." },
            { "RATE_LIMITED", "Too many tries in a short while. Please wait a moment and try again." },
            { "SIGN_IN_BUSY", "Many people are signing in right now. Please try again in a few seconds." },
            { "STORE_UNAVAILABLE", "The server cannot reach its database right now. Please try again in a moment." },
            { "ROLE_FORBIDDEN", "You are not allowed to do that in this session." },
            { "ROOM_OPTIONS_INVALID", "The lesson could not be opened with these settings." },
            { "JOIN_OPTIONS_INVALID", "The session could not be joined with these settings." },
            { "ROOM_FULL", "This session is full." },
            { "ALREADY_IN_ROOM", "You are already in this session (another tab or device?)." },
            { "TOO_MANY_LESSONS_OPEN", "You have too many lessons open. Close one of them and try again." },
            { "LESSON_NOT_FOUND", "This lesson does not exist." },
            { "PACK_NOT_FOUND", "This course does not exist." },
            { "REDIS_UNAVAILABLE", "New lessons cannot start right now. Lessons in progress continue; please try again in a moment." },
            { "SERVER_DRAINING", "The server is restarting; please try again in a moment." },
            { "SERVER_BUSY", "Many people are joining at once. Please try again in a few seconds." },
            { "SESSION_LIVE", "This session is still open; join it again." },
            { "SESSION_RESUMING", "This session is being resumed right now; join it in a moment." },
            { "SESSION_NOT_FOUND", "This session could not be found. Open the lesson again." },
            { "SESSION_LESSON_MISMATCH", "This session belongs to another lesson. Open the lesson again." },
            { "SESSION_EXPIRED", "This session stopped too long ago to continue. Open the lesson again." },
            { "SESSION_UNREACHABLE", "The server holding this session did not answer. Please try again in a moment." },
            { "BODY_MALFORMED", "The request could not be read." },
            { "BODY_NOT_JSON", "The request must be sent as JSON." },
            { "BODY_TOO_LARGE", "The request is too large." },
            { "PATH_MALFORMED", "That address is not valid." },
            { "METHOD_NOT_ALLOWED", "That address cannot be used this way." },
            { "BODY_TIMEOUT", "The request took too long to arrive. Please try again." },
            { "BODY_INVALID", "Some of the details sent are not valid." },
            { "QUERY_INVALID", "Some of the details sent are not valid." },
            { "NOT_FOUND", "That page or item does not exist." },
            { "ATTEMPT_NOT_FOUND", "That answer could not be found." },
            { "RECORDING_NOT_FOUND", "There is no recording for this answer." },
            { "RANGE_NOT_SATISFIABLE", "That part of the recording does not exist. Play it from the start." },
            { "MODEL_AUDIO_NOT_FOUND", "There is no recording of this line yet." },
            { "WEB_CLIENT_NOT_BUILT", "The app is not installed on this server yet." },
            { "INTERNAL", "Something went wrong on the server. Please try again." },
            { "MESSAGE_INVALID", "The app sent something the server did not understand. Please reload the page." },
            { "MESSAGE_UNKNOWN", "The app sent something the server did not understand. Please reload the page." },
            { "MESSAGE_TOO_LARGE", "The app sent a message that was too large. Please shorten it." },
            { "SESSION_ENDED", "This session has ended. Open the lesson again to practise more." },
            { "SESSION_NOT_RUNNING", "The conversation has not started yet." },
            { "STEP_MISMATCH", "The conversation has moved on; answer the current line." },
            { "NOT_YOUR_TURN", "It is your partner's turn to speak." },
            { "LEARNER_NOT_FOUND", "That learner is not in this session." },
            { "NO_ACCEPTED_ANSWERS", "This line cannot be checked." },
            { "STEP_HAS_NO_ANSWER", "This line cannot be checked." },
            { "EMPTY_TARGET", "This line cannot be checked." },
            { "INVALID_TIMING", "This answer could not be measured." },
            { "ATTEMPT_ID_TAKEN", "That answer was already sent." },
            { "ATTEMPT_NOT_SPOKEN", "Only spoken answers can be checked again." },
            { "ATTEMPT_BUSY", "This answer is still being checked." },
            { "ATTEMPT_STATE_INVALID", "This answer cannot be changed now." },
            { "ANSWER_TOO_LONG", "Your answer is too long; say or type only the line." },
            { "TARGET_TOO_LONG", "This line is too long to be checked." },
            { "UTTERANCE_ALREADY_OPEN", "You are already speaking; finish that answer first." },
            { "NO_OPEN_UTTERANCE", "No answer is being recorded." },
            { "UTTERANCE_CLOSED", "This answer has ended; start a new one to speak again." },
            { "UTTERANCE_TOO_LONG", "Your answer was too long, so it was stopped there." },
            { "AUDIO_WITHOUT_UTTERANCE", "Audio arrived without an open answer." },
            { "AUDIO_TOO_EARLY", "Audio arrived before recording had started." },
            { "AUDIO_FORMAT_UNSUPPORTED", "This microphone format is not supported." },
            { "AUDIO_FRAME_TOO_LARGE", "The audio came in pieces that were too large." },
            { "AUDIO_FRAME_TOO_SHORT", "Some audio could not be read." },
            { "AUDIO_FRAME_ODD_LENGTH", "Some audio could not be read." },
            { "AUDIO_FRAME_CORRUPT", "Some audio could not be read." },
            { "AUDIO_FRAME_INVALID", "The app sent audio the server could not read. Please reload the page." },
            { "AUDIO_SEQUENCE_GAP", "Too much audio went missing on the way." },
            { "AUDIO_DECODER_CLOSED", "This answer has ended; start a new one to speak again." },
            { "AUDIO_VAD_CLOSED", "This answer has ended; start a new one to speak again." },
            { "AUDIO_VAD_UNAVAILABLE", "The server cannot listen right now. Please try again." },
            { "AUDIO_WAV_INVALID", "The recording could not be read." },
            { "AUDIO_RATE_EXCEEDED", "Too much audio is arriving at once." },
            { "SPEECH_BUSY", "Many people are speaking right now. Please try again in a moment." },
            { "SPEECH_RATE_LIMITED", "You have answered many times in a short while. Please wait a moment." },
            { "SPEECH_DAILY_LIMIT", "You have reached today's speaking limit. Please type your answers or come back tomorrow." },
            { "SPEECH_BUDGET_EXHAUSTED", "Speaking practice is paused for today. Please type your answers." },
            { "NO_SPEECH", "We did not hear any speech. Check your microphone and try again." },
            { "DISCONNECTED", "The connection was lost before we heard you speak." },
            { "EVALUATION_FAILED", "Your answer could not be checked; your recording is kept for your tutor." },
            { "SERVER_RESTARTED", "The server restarted while your answer was being checked; your recording is kept." },
            { "SERVER_RESTARTED_NO_AUDIO", "The server restarted before your recording could be kept; please say this line again." },
            { "RECORDING_STORAGE_UNAVAILABLE", "We could not keep your recording, so it was not scored. Please try again." },
            { "STT_DISABLED", "Automatic scoring is off; your tutor will grade this answer." },
            { "STT_FAILED", "Speech recognition failed; your recording is kept for your tutor." },
            { "STT_TIMEOUT", "Speech recognition took too long; your recording is kept for your tutor." },
            { "STT_UNAVAILABLE", "Speech recognition is unavailable right now; your recording is kept for your tutor." },
            { "STT_REJECTED", "Speech recognition could not process this answer." },
            { "STT_BAD_RESPONSE", "Speech recognition sent back an answer we could not read; your recording is kept for your tutor." },
            { "STT_CANCELLED", "Checking this answer was cancelled." },
            { "PROVIDER_BUSY", "Speech recognition is busy right now; your recording is kept for your tutor." },
            { "PROVIDER_CIRCUIT_OPEN", "Speech recognition is unavailable right now; your recording is kept for your tutor." },
            { "PROVIDER_FAILED", "Speech recognition failed; your recording is kept for your tutor." },
            { "PROVIDER_TIMEOUT", "Speech recognition took too long; your recording is kept for your tutor." },
            { "PROVIDER_UNAVAILABLE", "Speech recognition is unavailable right now; your recording is kept for your tutor." },
            { "PROVIDER_REJECTED", "Speech recognition could not process this answer." },
            { "PROVIDER_BAD_RESPONSE", "Speech recognition sent back an answer we could not read; your recording is kept for your tutor." },
            { "PROVIDER_CANCELLED", "Checking this answer was cancelled." },
            { "FEEDBACK_TIMEOUT", "The tip for this answer took too long." },
            { "FEEDBACK_UNAVAILABLE", "Tips are unavailable right now." },
            { "FEEDBACK_REJECTED", "No tip could be written for this answer." },
            { "FEEDBACK_BAD_RESPONSE", "No tip could be written for this answer." },
            { "FEEDBACK_CANCELLED", "No tip could be written for this answer." },
        };

        /// <summary>Attempt failure codes the server evaluates again by itself once the provider answers.</summary>
        public static readonly HashSet<string> RetriedAutomatically = new HashSet<string>
        {
            "STT_TIMEOUT",
            "STT_UNAVAILABLE",
            "STT_BAD_RESPONSE",
            "PROVIDER_TIMEOUT",
            "PROVIDER_UNAVAILABLE",
            "PROVIDER_BAD_RESPONSE",
            "PROVIDER_BUSY",
            "PROVIDER_CIRCUIT_OPEN",
            "EVALUATION_FAILED",
            "SERVER_RESTARTED",
        };
    }

    /// <summary>How a session moves to another process when its process stops (docs/protocol.md).</summary>
    public static partial class SessionMoves
    {
        /// <summary>WebSocket close code: this session is moving, resume it.</summary>
        public const int MovingCloseCode = 4100;

        /// <summary>The message a stopping process sends first.</summary>
        public const string DrainingMessage = "server-draining";

        /// <summary>Refusals of a resume that mean "the session is open: join it by id".</summary>
        public static readonly HashSet<string> OpenCodes = new HashSet<string>
        {
            "SESSION_LIVE",
            "SESSION_RESUMING",
        };
    }
}
