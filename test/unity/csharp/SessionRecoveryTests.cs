using System.Collections.Generic;
using Koto.Live.Core;
using NUnit.Framework;

namespace Koto.Live.Tests
{
    /// <summary>Getting a lesson session back after its socket closed: which closes, which way, when, and when not.</summary>
    [TestFixture]
    public class SessionRecoveryTests
    {
        private static SessionRecovery Make(List<SessionConnection> seen = null)
        {
            var recovery = new SessionRecovery(SessionMoves.NewPolicy(() => 0));
            if (seen != null) recovery.ConnectionChanged += seen.Add;
            return recovery;
        }

        /// <summary>Polls at the time of the next scheduled try, as Tick would on the game clock.</summary>
        private static RecoveryAction PollWhenDue(SessionRecovery recovery)
        {
            return recovery.Poll(recovery.Policy.NextAttemptAtMs);
        }

        [TestCase(1000, false, TestName = "1000 normal closure: over")]
        [TestCase(4000, false, TestName = "4000 consented (this client left): over")]
        [TestCase(4001, false, TestName = "4001 Colyseus shut a room down that does not move: over")]
        [TestCase(4100, true, TestName = "4100 session moving: get back")]
        [TestCase(4003, true, TestName = "4003 the SDK gave up reconnecting: get back")]
        [TestCase(1006, true, TestName = "1006 abnormal (also a room younger than the SDK's minimum uptime): get back")]
        [TestCase(1001, true, TestName = "1001 going away: get back")]
        [TestCase(1005, true, TestName = "1005 no status: get back")]
        [TestCase(1011, true, TestName = "1011 server error: get back")]
        [TestCase(1012, true, TestName = "1012 service restart: get back")]
        [TestCase(4002, true, TestName = "4002 closed with an error: get back")]
        [TestCase(4999, true, TestName = "an unknown code: get back, bounded by refusals and the deadline")]
        public void DecidesWhichClosesAreWorthGettingBackFrom(int code, bool worthIt)
        {
            Assert.AreEqual(!worthIt, SessionMoves.EndsSession(code));
            var recovery = Make();
            Assert.AreEqual(worthIt, recovery.Closed(code, false, 0));
            Assert.AreEqual(worthIt ? SessionConnection.Reconnecting : SessionConnection.Ended, recovery.Connection);
        }

        [Test]
        public void EndsTheSessionWhenThisClientLeftOrTheLessonEndedWhateverTheCode()
        {
            var recovery = Make();
            Assert.IsFalse(recovery.Closed(1006, true, 0));
            Assert.AreEqual(SessionConnection.Ended, recovery.Connection);
            Assert.AreEqual(RecoveryAction.None, recovery.Poll(1e9));
        }

        [Test]
        public void AfterAnAbnormalCloseTakesTheSeatBackThenResumesThenJoinsWhoeverResumedFirst()
        {
            var seen = new List<SessionConnection>();
            var recovery = Make(seen);
            Assert.IsTrue(recovery.Closed(1006, false, 1000));
            Assert.AreEqual(RecoveryAction.None, recovery.Poll(1000), "the first try waits for the back-off");
            Assert.AreEqual(RecoveryAction.Try, PollWhenDue(recovery));
            Assert.AreEqual(WayBack.ReconnectSeat, recovery.NextWay(true));
            Assert.AreEqual(RecoveryAction.None, recovery.Poll(1e6), "one try at a time");

            // The seat's process died: the server answers, but has no such room.
            Assert.IsFalse(recovery.Refused(ProtocolErrors.MatchmakingFailed, 2000));
            Assert.AreEqual(RecoveryAction.Try, PollWhenDue(recovery));
            Assert.AreEqual(WayBack.Resume, recovery.NextWay(true));

            // The pair partner resumed it first.
            recovery.Refused("SESSION_LIVE", 3000);
            Assert.AreEqual(RecoveryAction.Try, PollWhenDue(recovery));
            Assert.AreEqual(WayBack.JoinById, recovery.NextWay(true));

            recovery.Succeeded();
            Assert.AreEqual(SessionConnection.Connected, recovery.Connection);
            CollectionAssert.AreEqual(new[] { SessionConnection.Reconnecting, SessionConnection.Connected }, seen);
        }

        [Test]
        public void KeepsKnockingForTheSeatWhileTheNetworkIsDown()
        {
            var recovery = Make();
            recovery.Closed(4003, false, 0);
            for (int attempt = 0; attempt < 5; attempt++)
            {
                Assert.AreEqual(RecoveryAction.Try, PollWhenDue(recovery));
                Assert.AreEqual(WayBack.ReconnectSeat, recovery.NextWay(true));
                recovery.Refused(ErrorCodes.NetworkError, recovery.Policy.NextAttemptAtMs);
            }
            Assert.AreEqual(SessionConnection.Reconnecting, recovery.Connection);
        }

        [Test]
        public void ResumesAMovingSessionAtOnce()
        {
            var recovery = Make();
            recovery.Closed(SessionMoves.MovingCloseCode, false, 0);
            Assert.AreEqual(RecoveryAction.Try, PollWhenDue(recovery));
            Assert.AreEqual(WayBack.Resume, recovery.NextWay(true));
        }

        [Test]
        public void JoinsByIdWhenTheLessonIsNotKnownYet()
        {
            // A room joined by id before its first state: resuming needs the lesson's id.
            var recovery = Make();
            recovery.Closed(SessionMoves.MovingCloseCode, false, 0);
            Assert.AreEqual(WayBack.JoinById, recovery.NextWay(false));
            Assert.AreEqual(WayBack.Resume, recovery.NextWay(true));
        }

        [TestCase("SESSION_ENDED")]
        [TestCase("SESSION_EXPIRED")]
        [TestCase("SESSION_NOT_FOUND")]
        [TestCase("AUTH_TOKEN_EXPIRED")]
        [TestCase("ROOM_FULL")]
        public void GivesUpOnceOnARefusalThatCannotChange(string code)
        {
            var seen = new List<SessionConnection>();
            var recovery = Make(seen);
            recovery.Closed(SessionMoves.MovingCloseCode, false, 0);
            Assert.AreEqual(RecoveryAction.Try, PollWhenDue(recovery));
            Assert.IsTrue(recovery.Refused(code, 500), "a final refusal");
            Assert.AreEqual(RecoveryAction.GiveUp, recovery.Poll(500));
            Assert.AreEqual(SessionConnection.Lost, recovery.Connection);
            Assert.AreEqual(RecoveryAction.None, recovery.Poll(600), "given up once");
            Assert.IsFalse(recovery.Closed(1006, false, 700), "a lost session stays lost");
            CollectionAssert.AreEqual(new[] { SessionConnection.Reconnecting, SessionConnection.Lost }, seen);
        }

        [Test]
        public void GivesUpWhenTheDeadlinePasses()
        {
            var recovery = Make();
            recovery.Closed(1006, false, 0);
            double now = 0;
            RecoveryAction action;
            do
            {
                now = recovery.Policy.Phase == ReconnectPhase.Waiting ? recovery.Policy.NextAttemptAtMs : now + 1000;
                action = recovery.Poll(now);
                if (action == RecoveryAction.Try) recovery.Refused(ErrorCodes.NetworkError, now);
            }
            while (action != RecoveryAction.GiveUp && now < 1e6);
            Assert.AreEqual(RecoveryAction.GiveUp, action);
            Assert.That(now, Is.InRange(SessionMoves.GiveUpAfterMs - 5000, SessionMoves.GiveUpAfterMs + 5000));
            Assert.AreEqual(SessionConnection.Lost, recovery.Connection);
        }

        [Test]
        public void ReportsTheSdksOwnRetriesAsReconnectingWithoutTryingItself()
        {
            var seen = new List<SessionConnection>();
            var recovery = Make(seen);
            recovery.SdkDropped();
            Assert.AreEqual(SessionConnection.Reconnecting, recovery.Connection);
            Assert.AreEqual(RecoveryAction.None, recovery.Poll(1e6), "the SDK is retrying");
            recovery.SdkReconnected();
            Assert.AreEqual(SessionConnection.Connected, recovery.Connection);

            // The SDK gives up: this takes over.
            recovery.SdkDropped();
            Assert.IsTrue(recovery.Closed(SessionMoves.FailedToReconnectCloseCode, false, 0));
            Assert.AreEqual(RecoveryAction.Try, PollWhenDue(recovery));
            CollectionAssert.AreEqual(new[] { SessionConnection.Reconnecting, SessionConnection.Connected, SessionConnection.Reconnecting }, seen);
        }

        [Test]
        public void LetsTheSdkRetryBrieflyThenTakesOver()
        {
            // About 1.5 s with the SDK's back-off (200, 400, 800 ms), not its default of 15 tries (about a minute).
            Assert.That(SessionMoves.SdkMaxRetries, Is.InRange(1, 5));
            Assert.That(SessionMoves.SdkMinUptimeMs, Is.LessThan(5000));
        }
    }
}
