using System;
using System.Collections.Generic;
using System.Text;
using System.Threading.Tasks;
using Colyseus;
using Koto.Live.Core;
using Koto.Schema;
using UnityEngine;
using UnityEngine.Networking;
using UnityEngine.Scripting;

namespace Koto.Live
{
    /// <summary>
    /// The entry point: one per server. Signs in (guest or tutor), reads lessons and progress over the
    /// HTTP API, and opens lesson rooms through the official Colyseus SDK, announcing the client as
    /// <c>platform: "unity"</c> so tutors see it. The server URL may carry a path prefix
    /// (<c>https://example.com/koto-api</c> behind Caddy); HTTP and WebSocket both go under it.
    /// Every call returns a Task that completes on Unity's main thread; failures are
    /// <see cref="KotoException"/>s with the server's code and sentence.
    /// </summary>
    [Preserve]
    public class KotoClient
    {
        private readonly Client colyseus;

        public KotoClient(string serverUrl)
        {
            Address = new ServerAddress(serverUrl);
            colyseus = new Client(Address.ColyseusEndpoint);
        }

        public ServerAddress Address { get; private set; }

        /// <summary>The signed-in user's token; null until <see cref="SignInAsGuest"/> or <see cref="SignInAsTutor"/>.</summary>
        public string Token { get; private set; }

        public UserInfo User { get; private set; }

        /// <summary>Use a token kept from an earlier session (e.g. in PlayerPrefs) instead of signing in again.</summary>
        public void UseToken(string token, UserInfo user)
        {
            Token = token;
            User = user;
        }

        public async Task<SignInResponse> SignInAsGuest(string displayName)
        {
            var answer = await Send<SignInResponse>("POST", "/api/auth/guest", JsonUtility.ToJson(new GuestSignInRequest { name = displayName }), false);
            UseToken(answer.token, answer.user);
            return answer;
        }

        /// <summary>
        /// Renames the signed-in learner: the same account (progress and streak stay), with a new token carrying
        /// the new name, which replaces <see cref="Token"/>; keep it instead of the old one. Signing in as a guest
        /// again would make a new learner with no progress. Learners only (tutors: ROLE_FORBIDDEN); a name the
        /// server refuses is BODY_INVALID, more than ten a minute RATE_LIMITED.
        /// </summary>
        public async Task<SignInResponse> Rename(string displayName)
        {
            RequireToken();
            var answer = await Send<SignInResponse>("POST", "/api/me/name", JsonUtility.ToJson(new GuestSignInRequest { name = displayName }), true);
            UseToken(answer.token, answer.user);
            return answer;
        }

        public async Task<SignInResponse> SignInAsTutor(string email, string password)
        {
            var answer = await Send<SignInResponse>("POST", "/api/auth/login", JsonUtility.ToJson(new TutorLoginRequest { email = email, password = password }), false);
            UseToken(answer.token, answer.user);
            return answer;
        }

        /// <param name="pack">A pack id such as "ko-en", or null for every pack.</param>
        public Task<LessonCatalog> GetLessons(string pack = null)
        {
            string path = string.IsNullOrEmpty(pack) ? "/api/lessons" : "/api/lessons?pack=" + UnityWebRequest.EscapeURL(pack);
            return Send<LessonCatalog>("GET", path, null, false);
        }

        public Task<LessonDetail> GetLesson(string lessonId)
        {
            return Send<LessonDetail>("GET", "/api/lessons/" + UnityWebRequest.EscapeURL(lessonId), null, false);
        }

        public Task<ProgressResponse> GetMyProgress()
        {
            return Send<ProgressResponse>("GET", "/api/progress/me", null, true);
        }

        /// <summary>Creates a lesson room and joins it as its first learner.</summary>
        public async Task<LessonSession> StartLesson(string lessonId)
        {
            RequireToken();
            var options = new Dictionary<string, object>
            {
                { "lessonId", lessonId },
                { "token", Token },
                { "platform", MessageTypes.PlatformUnity },
            };
            Room<LessonState> room = await Matchmake(() => colyseus.Create<LessonState>(MessageTypes.RoomName, options));
            return new LessonSession(this, room, lessonId);
        }

        /// <summary>
        /// Joins an existing lesson room: a second learner for pair practice, or a tutor watching. The lesson's
        /// id, which resuming the session after its process stopped needs, comes with the room's state.
        /// </summary>
        public async Task<LessonSession> JoinLesson(string roomId)
        {
            RequireToken();
            var options = new Dictionary<string, object> { { "token", Token }, { "platform", MessageTypes.PlatformUnity } };
            Room<LessonState> room = await Matchmake(() => colyseus.JoinById<LessonState>(roomId, options));
            return new LessonSession(this, room, null);
        }

        /// <summary>Takes a held seat back after a dropped socket.</summary>
        internal Task<Room<LessonState>> Reconnect(ReconnectionToken token)
        {
            return Matchmake(() => colyseus.Reconnect<LessonState>(token));
        }

        /// <summary>Brings a session whose process stopped back on any process, under the same id (docs/protocol.md).</summary>
        internal Task<Room<LessonState>> Resume(string lessonId, string sessionId)
        {
            var options = new Dictionary<string, object>
            {
                { "lessonId", lessonId },
                { "token", Token },
                { "platform", MessageTypes.PlatformUnity },
                { "resume", sessionId },
            };
            return Matchmake(() => colyseus.Create<LessonState>(MessageTypes.RoomName, options));
        }

        internal Task<Room<LessonState>> JoinExisting(string sessionId)
        {
            var options = new Dictionary<string, object> { { "token", Token }, { "platform", MessageTypes.PlatformUnity } };
            return Matchmake(() => colyseus.JoinById<LessonState>(sessionId, options));
        }

        /// <summary>
        /// Matchmaking refusals become KotoExceptions with the server's code (docs/protocol.md): the SDK reports
        /// those made over HTTP (a token, a lesson, a full room, a session to resume) as <c>HttpException</c>, and
        /// those made once the socket opened as <c>MatchMakeException</c>; both carry "CODE: sentence".
        /// </summary>
        private static async Task<Room<LessonState>> Matchmake(Func<Task<Room<LessonState>>> join)
        {
            try
            {
                return await join();
            }
            catch (HttpException error)
            {
                throw new KotoException(ErrorCodes.FromHttpRefusal(error.StatusCode, error.Message, UnityJson.Instance), error.StatusCode);
            }
            catch (MatchMakeException error)
            {
                throw new KotoException(ErrorCodes.FromMatchmakeMessage(error.Message));
            }
            catch (KotoException)
            {
                throw;
            }
            catch (Exception error)
            {
                throw new KotoException(new KotoError(ErrorCodes.NetworkError, "Could not reach the lesson server: " + error.Message));
            }
        }

        private void RequireToken()
        {
            if (string.IsNullOrEmpty(Token)) throw new KotoException(new KotoError(ErrorCodes.AuthTokenMissing, "Sign in (as a guest or a tutor) before opening a lesson."));
        }

        private Task<T> Send<T>(string method, string path, string jsonBody, bool authenticated) where T : class
        {
            if (authenticated) RequireToken();
            var request = new UnityWebRequest(Address.Api(path), method) { downloadHandler = new DownloadHandlerBuffer() };
            if (jsonBody != null)
            {
                request.uploadHandler = new UploadHandlerRaw(Encoding.UTF8.GetBytes(jsonBody));
                request.SetRequestHeader("Content-Type", "application/json");
            }
            if (authenticated) request.SetRequestHeader("Authorization", "Bearer " + Token);
            request.timeout = 20;

            // Completed by the engine on the main thread: no Task.Delay or thread pool, so it works on WebGL.
            var completion = new TaskCompletionSource<T>();
            request.SendWebRequest().completed += _ =>
            {
                try
                {
                    // A transport failure (no connection, DNS, TLS) has response code 0.
                    int status = request.result == UnityWebRequest.Result.ConnectionError ? 0 : (int)request.responseCode;
                    completion.SetResult(ApiResponses.Read<T>(status, request.downloadHandler.text, UnityJson.Instance, request.GetResponseHeader("Retry-After")));
                }
                catch (Exception error)
                {
                    completion.SetException(error);
                }
                finally
                {
                    request.Dispose();
                }
            };
            return completion.Task;
        }
    }
}
