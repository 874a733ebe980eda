using System;
using System.Runtime.Serialization;

// The HTTP API's JSON (docs/protocol.md) as [Serializable] classes with public fields named like the
// JSON keys: the shape Unity's JsonUtility reads and writes (no properties, no dictionaries, no
// top-level arrays). Null JSON values leave a field at its default. Tested against real server
// responses with .NET's DataContractJsonSerializer, which maps [Serializable] fields the same way but,
// unlike JsonUtility, insists on every field: [OptionalField] marks the ones the server may leave out.
namespace Koto.Live.Core
{
    [Serializable]
    public class GuestSignInRequest
    {
        public string name;
    }

    [Serializable]
    public class TutorLoginRequest
    {
        public string email;
        public string password;
    }

    [Serializable]
    public class UserInfo
    {
        public string id;
        public string displayName;
        /// <summary>"learner" or "tutor".</summary>
        public string role;
        /// <summary>Tutors only: absent from a learner's JSON, hence optional.</summary>
        [OptionalField]
        public string email;
    }

    /// <summary>POST /api/auth/guest, /api/auth/login and /api/me/name.</summary>
    [Serializable]
    public class SignInResponse
    {
        public string token;
        /// <summary>ISO 8601, UTC.</summary>
        public string expiresAt;
        public UserInfo user;
    }

    [Serializable]
    public class PackInfo
    {
        public string id;
        public string title;
        public string learnerLanguage;
        public string[] lessonIds;
    }

    [Serializable]
    public class LessonSummary
    {
        public string id;
        public string pack;
        public string title;
        public string level;
        public string summary;
        public int stepCount;
        public string learnerLanguage;
    }

    /// <summary>GET /api/lessons[?pack=…].</summary>
    [Serializable]
    public class LessonCatalog
    {
        public PackInfo[] packs;
        public LessonSummary[] lessons;
    }

    [Serializable]
    public class RoleDescription
    {
        public string name;
        public string description;
    }

    /// <summary>The lesson's two dialogue roles, keyed "A" and "B" in JSON.</summary>
    [Serializable]
    public class LessonRoles
    {
        public RoleDescription A;
        public RoleDescription B;
    }

    [Serializable]
    public class VocabularyItem
    {
        public string korean;
        public string romanization;
        public string meaning;
    }

    [Serializable]
    public class LessonStepInfo
    {
        public int index;
        /// <summary>"A" or "B".</summary>
        public string speaker;
        public string korean;
        public string romanization;
        public string translation;
        public string[] accepted;
        /// <summary>Null in JSON when the step has none.</summary>
        public string hint;
        public string audioUrl;
    }

    /// <summary>GET /api/lessons/:id.</summary>
    [Serializable]
    public class LessonDetail
    {
        public string id;
        public string pack;
        public string learnerLanguage;
        public string title;
        public string level;
        public string summary;
        public LessonRoles roles;
        /// <summary>The role a solo learner plays; the server plays the other.</summary>
        public string learnerRole;
        public VocabularyItem[] vocabulary;
        public LessonStepInfo[] steps;
    }

    [Serializable]
    public class ProgressEntry
    {
        public string lessonId;
        public string title;
        public int stepCount;
        public int currentStep;
        public int[] completedSteps;
        public int attemptsCount;
        public int bestScore;
        public int hintsUsed;
        /// <summary>ISO 8601 when the lesson was finished; null/empty until then.</summary>
        public string completedAt;

        public bool IsCompleted { get { return !string.IsNullOrEmpty(completedAt); } }
    }

    /// <summary>GET /api/progress/me.</summary>
    [Serializable]
    public class ProgressResponse
    {
        public UserInfo user;
        public ProgressEntry[] progress;
    }

    [Serializable]
    public class ErrorBody
    {
        public string code;
        public string message;
        /// <summary>For limits (<c>RATE_LIMITED</c> on re-evaluations, …): when trying again can succeed. Absent otherwise.</summary>
        [OptionalField]
        public int retryAfterMs;
    }

    /// <summary>Every JSON error: <c>{ "error": { "code", "message", "retryAfterMs"? } }</c>.</summary>
    [Serializable]
    public class ErrorResponse
    {
        public ErrorBody error;
    }

    /// <summary>Colyseus' answer to a refused <c>POST /matchmake/…</c>: <c>{ "code": httpStatus, "error": "CODE: sentence" }</c>.</summary>
    [Serializable]
    public class MatchmakeErrorBody
    {
        [OptionalField]
        public int code;
        [OptionalField]
        public string error;
        [OptionalField]
        public int retryAfterMs;

        /// <summary>The body when <paramref name="text"/> is one, else null (the Colyseus SDK usually hands over only its <c>error</c>).</summary>
        public static MatchmakeErrorBody TryRead(string text, IJsonReader json)
        {
            if (json == null || string.IsNullOrEmpty(text) || !text.TrimStart().StartsWith("{", StringComparison.Ordinal)) return null;
            try
            {
                return json.Read<MatchmakeErrorBody>(text);
            }
            catch (Exception)
            {
                return null;
            }
        }
    }

    // Room message payloads (msgpack on the wire, same field names).

    [Serializable]
    public class AnswerRequest
    {
        public string text;
        public int step;
        public string attemptId;
    }

    [Serializable]
    public class UtteranceOpenedMessage
    {
        public string attemptId;
        public int step;
    }

    [Serializable]
    public class UtteranceEndedMessage
    {
        public string attemptId;
        /// <summary>silence, max-duration, released, disconnected, no-speech.</summary>
        public string reason;
    }

    [Serializable]
    public class RoomErrorMessage
    {
        public string code;
        public string message;
        /// <summary>The message type that caused it ("audio" for frames).</summary>
        public string type;
        /// <summary>For limits: when trying again can succeed (absent otherwise).</summary>
        [OptionalField]
        public int retryAfterMs;
    }

    [Serializable]
    public class AttemptAcceptedMessage
    {
        public string attemptId;
        public bool duplicate;
    }

    [Serializable]
    public class SessionEndedMessage
    {
        public bool completed;
    }

    /// <summary>To tutors and the pair partner when a learner starts speaking.</summary>
    [Serializable]
    public class UtteranceStartedMessage
    {
        public string learnerId;
        public string attemptId;
        public string codec;
        public int sampleRate;
    }

    /// <summary><c>server-draining</c>: show one "reconnecting" notice; the session moves to another process.</summary>
    [Serializable]
    public class ServerDrainingMessage
    {
        public string sessionId;
        /// <summary>Clients should have resumed within this long.</summary>
        public int resumeWithinMs;
    }

    [Serializable]
    public class TutorHintMessage
    {
        public string from;
        public string text;
    }

    /// <summary><c>tutor-moved</c>: a tutor moved the lesson to another line; tell the learner why their line changed.</summary>
    [Serializable]
    public class TutorMovedMessage
    {
        /// <summary>The tutor's display name.</summary>
        public string by;
        /// <summary>The step the lesson is on now.</summary>
        public int step;
        /// <summary>"advance" or "back".</summary>
        public string direction;

        public bool IsBack { get { return direction == "back"; } }
    }

    /// <summary>Reads the JSON of an API answer; Unity passes JsonUtility, tests a .NET serializer.</summary>
    public interface IJsonReader
    {
        T Read<T>(string json);
    }

    public static class ApiResponses
    {
        /// <summary>
        /// A 2xx body becomes <typeparamref name="T"/>; anything else becomes a <see cref="KotoException"/>
        /// with the server's code and sentence, or <see cref="ErrorCodes.ResponseInvalid"/> when the body is not ours
        /// (a proxy's HTML page, an empty 502). <paramref name="retryAfterHeader"/> is the answer's <c>Retry-After</c>.
        /// </summary>
        public static T Read<T>(int status, string body, IJsonReader json, string retryAfterHeader = null) where T : class
        {
            if (status >= 200 && status < 300)
            {
                T value = null;
                try
                {
                    value = json.Read<T>(body);
                }
                catch (Exception)
                {
                    value = null;
                }
                if (value == null) throw new KotoException(new KotoError(ErrorCodes.ResponseInvalid, "The server's answer could not be read."), status);
                return value;
            }
            throw new KotoException(ReadError(status, body, json, retryAfterHeader), status);
        }

        public static KotoError ReadError(int status, string body, IJsonReader json, string retryAfterHeader = null)
        {
            ErrorResponse envelope = null;
            try
            {
                if (!string.IsNullOrEmpty(body) && body.TrimStart().StartsWith("{", StringComparison.Ordinal)) envelope = json.Read<ErrorResponse>(body);
            }
            catch (Exception)
            {
                envelope = null;
            }
            if (envelope != null && envelope.error != null && !string.IsNullOrEmpty(envelope.error.code))
            {
                // The body's figure is in milliseconds and exact; the header (sign-in limits send only that) in whole seconds.
                int retryAfterMs = envelope.error.retryAfterMs > 0 ? envelope.error.retryAfterMs : RetryAfterMs(retryAfterHeader);
                return new KotoError(envelope.error.code, envelope.error.message, retryAfterMs);
            }
            if (status == 0) return new KotoError(ErrorCodes.NetworkError, "The server could not be reached; check the connection and the server address.");
            return new KotoError(ErrorCodes.ResponseInvalid, "The server answered " + status + " without a KOTO error; is the server address (and its path prefix) right?", RetryAfterMs(retryAfterHeader));
        }

        /// <summary>
        /// An HTTP <c>Retry-After</c> in delay-seconds ("30") as milliseconds; 0 when absent or an HTTP date
        /// (this server never sends dates, and a device's clock may be far off the server's).
        /// </summary>
        public static int RetryAfterMs(string header)
        {
            int seconds;
            if (string.IsNullOrEmpty(header) || !int.TryParse(header.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out seconds)) return 0;
            return seconds > int.MaxValue / 1000 ? int.MaxValue : seconds * 1000;
        }
    }
}
