using System.Collections.Generic;
using System.IO;
using System.Linq;
using Koto.Live.Core;
using NUnit.Framework;

namespace Koto.Live.Tests
{
    /// <summary>What the SDK does with each error code, and how refusals of matchmaking and of the HTTP API are read.</summary>
    [TestFixture]
    public class ErrorCodesTests
    {
        private static readonly DataContractJson Json = new DataContractJson();

        // Every code of protocol/error-codes.ts, decided once: a new server code fails EveryProtocolCodeIsDecided
        // until it is put in one of these lists (and ErrorCodes' tables, when it is not "neither").
        private static readonly string[] TryLater =
        {
            "RATE_LIMITED", "SIGN_IN_BUSY", "SERVER_BUSY", "SPEECH_RATE_LIMITED", "SPEECH_BUSY",
            "STORE_UNAVAILABLE", "REDIS_UNAVAILABLE", "SERVER_DRAINING", "SESSION_RESUMING", "SESSION_UNREACHABLE",
            "AUDIO_VAD_UNAVAILABLE", "RECORDING_STORAGE_UNAVAILABLE", "SERVER_RESTARTED_NO_AUDIO", "INTERNAL",
            "BODY_TIMEOUT", "DISCONNECTED", "ATTEMPT_BUSY",
        };

        private static readonly string[] SignInAgain = { "AUTH_TOKEN_MISSING", "AUTH_TOKEN_INVALID", "AUTH_TOKEN_EXPIRED", "AUTH_UNKNOWN_USER" };

        private static readonly string[] Neither =
        {
            // The player or the app must change something, or it will never work.
            "LOGIN_FAILED", "ACCOUNT_DISABLED", "ROLE_FORBIDDEN", "ROOM_OPTIONS_INVALID", "JOIN_OPTIONS_INVALID", "ROOM_FULL",
            "ALREADY_IN_ROOM", "TOO_MANY_LESSONS_OPEN", "LESSON_NOT_FOUND", "PACK_NOT_FOUND",
            // Getting back into a session: SessionMoves.AfterRefusal decides (join by id, or give up).
            "SESSION_LIVE", "SESSION_NOT_FOUND", "SESSION_LESSON_MISMATCH", "SESSION_EXPIRED", "SESSION_ENDED",
            // A request that is wrong as sent.
            "BODY_MALFORMED", "BODY_NOT_JSON", "BODY_TOO_LARGE", "PATH_MALFORMED", "METHOD_NOT_ALLOWED", "BODY_INVALID",
            "QUERY_INVALID", "NOT_FOUND", "ATTEMPT_NOT_FOUND", "RECORDING_NOT_FOUND", "RANGE_NOT_SATISFIABLE",
            "MODEL_AUDIO_NOT_FOUND", "WEB_CLIENT_NOT_BUILT", "MESSAGE_INVALID", "MESSAGE_UNKNOWN", "MESSAGE_TOO_LARGE",
            // The conversation is elsewhere, or the answer cannot be checked as it is.
            "SESSION_NOT_RUNNING", "STEP_MISMATCH", "NOT_YOUR_TURN", "LEARNER_NOT_FOUND", "NO_ACCEPTED_ANSWERS",
            "STEP_HAS_NO_ANSWER", "EMPTY_TARGET", "INVALID_TIMING", "ATTEMPT_ID_TAKEN", "ATTEMPT_NOT_SPOKEN",
            "ATTEMPT_STATE_INVALID", "ANSWER_TOO_LONG", "TARGET_TOO_LONG",
            // Speaking: one answer at a time, audio as sent was wrong, or today's limit is reached.
            "UTTERANCE_ALREADY_OPEN", "NO_OPEN_UTTERANCE", "UTTERANCE_CLOSED", "UTTERANCE_TOO_LONG", "AUDIO_WITHOUT_UTTERANCE",
            "AUDIO_TOO_EARLY", "AUDIO_FORMAT_UNSUPPORTED", "AUDIO_FRAME_TOO_LARGE", "AUDIO_FRAME_TOO_SHORT",
            "AUDIO_FRAME_ODD_LENGTH", "AUDIO_FRAME_CORRUPT", "AUDIO_FRAME_INVALID", "AUDIO_SEQUENCE_GAP",
            "AUDIO_DECODER_CLOSED", "AUDIO_VAD_CLOSED", "AUDIO_WAV_INVALID", "AUDIO_RATE_EXCEEDED",
            "SPEECH_DAILY_LIMIT", "SPEECH_BUDGET_EXHAUSTED",
            // Attempt failures: said again by the learner, graded by the tutor, or evaluated again by the server itself.
            "NO_SPEECH", "EVALUATION_FAILED", "SERVER_RESTARTED", "STT_DISABLED", "STT_FAILED", "STT_TIMEOUT",
            "STT_UNAVAILABLE", "STT_REJECTED", "STT_BAD_RESPONSE", "STT_CANCELLED", "PROVIDER_BUSY", "PROVIDER_CIRCUIT_OPEN",
            "PROVIDER_FAILED", "PROVIDER_TIMEOUT", "PROVIDER_UNAVAILABLE", "PROVIDER_REJECTED", "PROVIDER_BAD_RESPONSE",
            "PROVIDER_CANCELLED", "FEEDBACK_TIMEOUT", "FEEDBACK_UNAVAILABLE", "FEEDBACK_REJECTED", "FEEDBACK_BAD_RESPONSE",
            "FEEDBACK_CANCELLED",
        };

        [Test]
        public void EveryProtocolCodeIsDecided()
        {
            var decided = TryLater.Concat(SignInAgain).Concat(Neither).ToList();
            Assert.AreEqual(decided.Count, decided.Distinct().Count(), "a code is in two lists");
            var undecided = ProtocolErrors.Sentences.Keys.Except(decided).ToList();
            Assert.IsEmpty(undecided, "decide whether these new codes are retryable: " + string.Join(", ", undecided.ToArray()));
            var unknown = decided.Where(code => !ProtocolErrors.IsKnown(code)).ToList();
            Assert.IsEmpty(unknown, "not protocol codes: " + string.Join(", ", unknown.ToArray()));
        }

        [Test]
        public void RetriesTransientRefusalsOnly()
        {
            foreach (string code in TryLater) Assert.IsTrue(ErrorCodes.IsRetryable(code), code);
            foreach (string code in SignInAgain.Concat(Neither)) Assert.IsFalse(ErrorCodes.IsRetryable(code), code);
            foreach (string code in SignInAgain) Assert.IsTrue(ErrorCodes.NeedsSignIn(code), code);
            foreach (string code in TryLater.Concat(Neither)) Assert.IsFalse(ErrorCodes.NeedsSignIn(code), code);
        }

        [TestCase("NETWORK_ERROR", true)]
        [TestCase("CONNECTION_LOST", true)]
        [TestCase("UTTERANCE_OPEN_TIMEOUT", true)]
        [TestCase("MATCHMAKING_FAILED", true)]
        [TestCase("RESPONSE_INVALID", false)]
        [TestCase("MICROPHONE_DENIED", false)]
        [TestCase("NOT_A_CODE", false)]
        [TestCase(null, false)]
        public void DecidesTheSdksOwnCodes(string code, bool retryable)
        {
            Assert.AreEqual(retryable, ErrorCodes.IsRetryable(code));
        }

        [Test]
        public void NeverRetriesWhatTheServerRetriesByItself()
        {
            foreach (string code in ProtocolErrors.RetriedAutomatically) Assert.IsFalse(ErrorCodes.IsRetryable(code), code);
        }

        // --- matchmaking refused over HTTP (the Colyseus SDK's HttpException) ---

        [TestCase(401, "AUTH_TOKEN_INVALID: the token could not be verified; sign in again", "AUTH_TOKEN_INVALID", "the token could not be verified; sign in again")]
        [TestCase(409, "ROOM_FULL: this session already has 2 learner(s)", "ROOM_FULL", "this session already has 2 learner(s)")]
        [TestCase(409, "{\"code\":409,\"error\":\"SESSION_LIVE: the session is open; join it by id\"}", "SESSION_LIVE", "the session is open; join it by id")]
        [TestCase(503, "{\"code\":503,\"error\":\"SERVER_BUSY: too many people are joining at once\"}", "SERVER_BUSY", "too many people are joining at once")]
        [TestCase(522, "room \"abc\" has been disposed.", "MATCHMAKING_FAILED", "room \"abc\" has been disposed.")]
        [TestCase(503, "HTTP/1.1 503 Service Unavailable", "MATCHMAKING_FAILED", "HTTP/1.1 503 Service Unavailable")]
        [TestCase(502, "", "MATCHMAKING_FAILED", "HTTP 502")]
        [TestCase(0, "Cannot connect to destination host", "NETWORK_ERROR", "Could not reach the lesson server: Cannot connect to destination host")]
        [TestCase(0, null, "NETWORK_ERROR", "Could not reach the lesson server.")]
        [TestCase(0, "{not json", "NETWORK_ERROR", "Could not reach the lesson server: {not json")]
        public void ReadsAnHttpRefusalOfMatchmaking(int status, string message, string code, string detail)
        {
            KotoError error = ErrorCodes.FromHttpRefusal(status, message, Json);
            Assert.AreEqual(code, error.Code);
            Assert.AreEqual(detail, error.Message);
        }

        [Test]
        public void TakesWhenToRetryFromARefusalsBody()
        {
            var error = ErrorCodes.FromHttpRefusal(429, "{\"code\":429,\"error\":\"RATE_LIMITED: more than 60 lessons opened in a minute\",\"retryAfterMs\":1500}", Json);
            Assert.AreEqual("RATE_LIMITED", error.Code);
            Assert.AreEqual(1500, error.RetryAfterMs);
        }

        /// <summary>What the SDK's HTTP.Request puts in HttpException.Message: the body's "error" when it has one.</summary>
        private static string SdkMessage(string body)
        {
            return Json.Read<MatchmakeErrorBody>(body).error;
        }

        [TestCase("matchmake-bad-token", 401, "AUTH_TOKEN_INVALID")]
        [TestCase("matchmake-no-lesson", 404, "LESSON_NOT_FOUND")]
        [TestCase("matchmake-resume-unknown", 404, "SESSION_NOT_FOUND")]
        [TestCase("matchmake-reconnect-gone", 522, "MATCHMAKING_FAILED")]
        public void ReadsTheServersRealMatchmakingRefusals(string name, int expectedStatus, string code)
        {
            string folder = Fixtures.PathFrom("KOTO_API_RESPONSES");
            int status = int.Parse(File.ReadAllText(Path.Combine(folder, name + ".status")).Trim());
            string body = File.ReadAllText(Path.Combine(folder, name + ".body"));
            Assert.AreEqual(expectedStatus, status);
            Assert.AreEqual(code, ErrorCodes.FromHttpRefusal(status, SdkMessage(body), Json).Code, "the SDK's message");
            Assert.AreEqual(code, ErrorCodes.FromHttpRefusal(status, body, Json).Code, "the whole body");
        }

        [Test]
        public void GetsBackIntoASessionWhoseSeatIsGoneInsteadOfRetryingTheSeat()
        {
            // The resume path depends on this: a refused seat must not look like a network failure.
            string folder = Fixtures.PathFrom("KOTO_API_RESPONSES");
            string body = File.ReadAllText(Path.Combine(folder, "matchmake-reconnect-gone.body"));
            var recovery = new SessionRecovery(SessionMoves.NewPolicy(() => 0));
            recovery.Closed(1006, false, 0);
            Assert.AreEqual(RecoveryAction.Try, recovery.Poll(recovery.Policy.NextAttemptAtMs));
            Assert.AreEqual(WayBack.ReconnectSeat, recovery.NextWay(true));
            recovery.Refused(ErrorCodes.FromHttpRefusal(522, SdkMessage(body), Json).Code, 200);
            Assert.AreEqual(WayBack.Resume, recovery.NextWay(true));
        }

        // --- Retry-After of the HTTP API ---

        [TestCase("30", 30000)]
        [TestCase(" 2 ", 2000)]
        [TestCase("0", 0)]
        [TestCase("", 0)]
        [TestCase(null, 0)]
        [TestCase("-5", 0)]
        [TestCase("1.5", 0)]
        [TestCase("Wed, 21 Oct 2015 07:28:00 GMT", 0)]
        [TestCase("99999999999", 0)]
        [TestCase("2147484", 2147483647)]
        public void ReadsRetryAfterInSeconds(string header, int milliseconds)
        {
            Assert.AreEqual(milliseconds, ApiResponses.RetryAfterMs(header));
        }

        [Test]
        public void ReadsWhenToRetryARateLimitedSignInFromTheServersRetryAfter()
        {
            string folder = Fixtures.PathFrom("KOTO_API_RESPONSES");
            int status = int.Parse(File.ReadAllText(Path.Combine(folder, "login-limited.status")).Trim());
            string body = File.ReadAllText(Path.Combine(folder, "login-limited.body"));
            string retryAfter = File.ReadAllText(Path.Combine(folder, "login-limited.retry-after"));
            var refusal = Assert.Throws<KotoException>(() => ApiResponses.Read<SignInResponse>(status, body, Json, retryAfter));
            Assert.AreEqual(429, refusal.HttpStatus);
            Assert.AreEqual("RATE_LIMITED", refusal.Code);
            Assert.IsTrue(ErrorCodes.IsRetryable(refusal.Code));
            Assert.AreEqual(int.Parse(retryAfter) * 1000, refusal.Error.RetryAfterMs);
            Assert.That(refusal.Error.RetryAfterMs, Is.GreaterThan(0));
        }

        [Test]
        public void PrefersTheBodysExactRetryAfterMsToTheHeader()
        {
            const string body = "{\"error\":{\"code\":\"RATE_LIMITED\",\"message\":\"more than 10 re-evaluations a minute; wait a moment\",\"retryAfterMs\":1234}}";
            Assert.AreEqual(1234, ApiResponses.ReadError(429, body, Json, "2").RetryAfterMs);
            Assert.AreEqual(2000, ApiResponses.ReadError(429, body.Replace(",\"retryAfterMs\":1234", ""), Json, "2").RetryAfterMs);
        }
    }
}
