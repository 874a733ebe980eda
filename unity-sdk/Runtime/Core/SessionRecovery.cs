using System;

namespace Koto.Live.Core
{
    /// <summary>Where a lesson session stands, in the words a player's screen needs.</summary>
    public enum SessionConnection
    {
        Connected,
        /// <summary>The socket dropped or the session is moving; show one "reconnecting…" notice.</summary>
        Reconnecting,
        /// <summary>Getting back failed for good (refused, or out of time): offer to open the lesson again.</summary>
        Lost,
        /// <summary>Over for this client: it left, the lesson ended, or the server closed it normally.</summary>
        Ended,
    }

    /// <summary>The way the next try to get back takes.</summary>
    public enum WayBack
    {
        /// <summary>Take the held seat back with the reconnection token (its process still holds it).</summary>
        ReconnectSeat,
        /// <summary><c>create("lesson", { lessonId, resume: sessionId })</c>: bring the session back on any process.</summary>
        Resume,
        /// <summary><c>joinById(sessionId)</c>: it is open again (another participant resumed it first).</summary>
        JoinById,
    }

    /// <summary>What the caller does after a <see cref="SessionRecovery.Poll"/>.</summary>
    public enum RecoveryAction
    {
        None,
        /// <summary>Start one try, the way <see cref="SessionRecovery.NextWay"/> says; report its outcome.</summary>
        Try,
        /// <summary>Getting back failed for good (reported once): tell the player.</summary>
        GiveUp,
    }

    /// <summary>
    /// Getting a lesson session back after its socket closed, in one place: which close codes end the
    /// session and which are worth coming back from (<see cref="SessionMoves.EndsSession"/>), which way back
    /// to try (the held seat first, resuming the session once the seat is gone, joining it by id when
    /// another participant resumed it), when to try (<see cref="ReconnectPolicy"/> on the caller's clock,
    /// so it runs on WebGL) and when to give up. LessonSession makes the tries; this decides. While the
    /// Colyseus SDK retries a dropped socket by itself, this only reports <see cref="SessionConnection.Reconnecting"/>.
    /// </summary>
    public sealed class SessionRecovery
    {
        private readonly ReconnectPolicy policy;
        private WayBack wayBack;

        public SessionRecovery(ReconnectPolicy policy)
        {
            if (policy == null) throw new ArgumentNullException("policy");
            this.policy = policy;
            Connection = SessionConnection.Connected;
        }

        public ReconnectPolicy Policy { get { return policy; } }

        public SessionConnection Connection { get; private set; }

        /// <summary>Raised on every change of <see cref="Connection"/>.</summary>
        public event Action<SessionConnection> ConnectionChanged;

        /// <summary>The SDK saw the socket drop and is retrying by itself (its <c>OnDrop</c>).</summary>
        public void SdkDropped()
        {
            if (Connection == SessionConnection.Connected) Set(SessionConnection.Reconnecting);
        }

        /// <summary>The SDK got the same room back (its <c>OnReconnect</c>).</summary>
        public void SdkReconnected()
        {
            if (Connection != SessionConnection.Reconnecting) return;
            policy.Succeeded();
            Set(SessionConnection.Connected);
        }

        /// <summary>
        /// The socket closed for good (the SDK's <c>OnLeave</c>). <paramref name="over"/>: this client left,
        /// or the server said the lesson ended. Returns true when the session is worth getting back; the
        /// tries then come from <see cref="Poll"/>.
        /// </summary>
        public bool Closed(int closeCode, bool over, double nowMs)
        {
            if (Connection == SessionConnection.Ended || Connection == SessionConnection.Lost) return false;
            if (over || SessionMoves.EndsSession(closeCode))
            {
                Set(SessionConnection.Ended);
                return false;
            }
            // A moving session's process is stopping: its seat goes with it, so resume at once.
            wayBack = closeCode == SessionMoves.MovingCloseCode ? WayBack.Resume : WayBack.ReconnectSeat;
            policy.Dropped(nowMs);
            Set(SessionConnection.Reconnecting);
            return true;
        }

        /// <summary>Call every frame: <see cref="RecoveryAction.Try"/> when a try is due, <see cref="RecoveryAction.GiveUp"/> once when out of time or refused for good.</summary>
        public RecoveryAction Poll(double nowMs)
        {
            if (Connection != SessionConnection.Reconnecting) return RecoveryAction.None;
            if (policy.IsDue(nowMs)) return RecoveryAction.Try;
            if (policy.Phase != ReconnectPhase.GaveUp) return RecoveryAction.None;
            Set(SessionConnection.Lost);
            return RecoveryAction.GiveUp;
        }

        /// <summary>
        /// The way the due try takes. Resuming needs the lesson's id (from the state once it arrived):
        /// without it the only way in is joining by id, which works once another participant resumed it.
        /// </summary>
        public WayBack NextWay(bool lessonKnown)
        {
            return wayBack == WayBack.Resume && !lessonKnown ? WayBack.JoinById : wayBack;
        }

        /// <summary>The try got the session back (a new room object).</summary>
        public void Succeeded()
        {
            policy.Succeeded();
            Set(SessionConnection.Connected);
        }

        /// <summary>
        /// The try was refused with <paramref name="code"/>: picks the next way back, or gives up on a refusal that
        /// cannot change (ended, expired, not allowed). Returns true for such a final refusal: it is the news to
        /// tell, where running out of time is CONNECTION_LOST.
        /// </summary>
        public bool Refused(string code, double nowMs)
        {
            ResumeStep step = SessionMoves.AfterRefusal(code);
            if (wayBack == WayBack.ReconnectSeat && step != ResumeStep.GiveUp && code != ErrorCodes.NetworkError)
            {
                // The server answered but has no seat to give back (its process stopped or died): resume the session instead.
                step = ResumeStep.Retry;
                wayBack = WayBack.Resume;
            }
            else if (step == ResumeStep.JoinById) wayBack = WayBack.JoinById;
            else if (step == ResumeStep.ReconnectSeat) wayBack = WayBack.ReconnectSeat;
            policy.Failed(nowMs, step == ResumeStep.GiveUp);
            return step == ResumeStep.GiveUp;
        }

        private void Set(SessionConnection connection)
        {
            if (Connection == connection) return;
            Connection = connection;
            var handler = ConnectionChanged;
            if (handler != null) handler(connection);
        }
    }
}
