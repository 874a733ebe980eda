using Koto.Live.Core;
using NUnit.Framework;

namespace Koto.Live.Tests
{
    [TestFixture]
    public class ReconnectPolicyTests
    {
        [Test]
        public void BacksOffExponentiallyWithinJitterBoundsUpToTheCap()
        {
            var low = new ReconnectPolicy(250, 5000, 12, 30000, () => 0.0);
            var high = new ReconnectPolicy(250, 5000, 12, 30000, () => 0.999999);
            double[] caps = { 250, 500, 1000, 2000, 4000, 5000, 5000 };
            for (int attempt = 1; attempt <= caps.Length; attempt++)
            {
                Assert.AreEqual(caps[attempt - 1] / 2, low.DelayBefore(attempt), 1e-9, "attempt " + attempt);
                Assert.AreEqual(caps[attempt - 1], high.DelayBefore(attempt), 0.01, "attempt " + attempt);
            }
        }

        [Test]
        public void SpreadsClientsThatDroppedTogether()
        {
            var generator = new System.Random(7);
            var delays = new System.Collections.Generic.HashSet<int>();
            for (int client = 0; client < 20; client++) delays.Add((int)new ReconnectPolicy(random: generator.NextDouble).DelayBefore(4));
            Assert.That(delays.Count, Is.GreaterThan(15));
        }

        [Test]
        public void IsDueOnlyWhenTheCallersClockReachesTheScheduledTime()
        {
            var policy = new ReconnectPolicy(1000, 8000, 5, 30000, () => 0.5);
            policy.Dropped(10000);
            Assert.AreEqual(ReconnectPhase.Waiting, policy.Phase);
            Assert.AreEqual(10750, policy.NextAttemptAtMs, 1e-9);
            Assert.IsFalse(policy.IsDue(10749));
            Assert.IsTrue(policy.IsDue(10750));
            Assert.IsFalse(policy.IsDue(10751), "due once per scheduled try");
            Assert.AreEqual(ReconnectPhase.Trying, policy.Phase);
            Assert.AreEqual(1, policy.Attempts);
            policy.Failed(11000);
            Assert.AreEqual(11000 + 1500, policy.NextAttemptAtMs, 1e-9);
            Assert.IsTrue(policy.IsDue(12500));
            policy.Succeeded();
            Assert.AreEqual(ReconnectPhase.Connected, policy.Phase);
            Assert.AreEqual(0, policy.Attempts);
        }

        [Test]
        public void GivesUpAfterTheLastTry()
        {
            var policy = new ReconnectPolicy(100, 100, 3, 60000, () => 0);
            policy.Dropped(0);
            double now = 0;
            for (int attempt = 1; attempt <= 3; attempt++)
            {
                now = policy.NextAttemptAtMs;
                Assert.IsTrue(policy.IsDue(now));
                policy.Failed(now);
            }
            Assert.AreEqual(ReconnectPhase.GaveUp, policy.Phase);
            Assert.IsFalse(policy.IsDue(now + 100000));
        }

        [Test]
        public void GivesUpWhenTheServersWindowHasPassed()
        {
            var policy = new ReconnectPolicy(1000, 1000, 100, 5000, () => 0);
            policy.Dropped(0);
            Assert.IsFalse(policy.IsDue(5000));
            Assert.AreEqual(ReconnectPhase.GaveUp, policy.Phase);
        }

        [Test]
        public void GivesUpAtOnceOnAPermanentRefusal()
        {
            var policy = new ReconnectPolicy(random: () => 0);
            policy.Dropped(0);
            Assert.IsTrue(policy.IsDue(policy.NextAttemptAtMs));
            policy.Failed(200, permanent: true);
            Assert.AreEqual(ReconnectPhase.GaveUp, policy.Phase);
        }

        [Test]
        public void ASecondDropWhileReconnectingDoesNotRestartTheCount()
        {
            var policy = new ReconnectPolicy(random: () => 0);
            policy.Dropped(0);
            Assert.IsTrue(policy.IsDue(policy.NextAttemptAtMs));
            policy.Dropped(500);
            Assert.AreEqual(1, policy.Attempts);
        }
    }
}

namespace Koto.Live.Tests
{
    [NUnit.Framework.TestFixture]
    public class SessionMovesTests
    {
        [NUnit.Framework.TestCase("SESSION_LIVE", Koto.Live.Core.ResumeStep.JoinById)]
        [NUnit.Framework.TestCase("SESSION_RESUMING", Koto.Live.Core.ResumeStep.JoinById)]
        [NUnit.Framework.TestCase("ALREADY_IN_ROOM", Koto.Live.Core.ResumeStep.ReconnectSeat)]
        [NUnit.Framework.TestCase("SESSION_ENDED", Koto.Live.Core.ResumeStep.GiveUp)]
        [NUnit.Framework.TestCase("SESSION_EXPIRED", Koto.Live.Core.ResumeStep.GiveUp)]
        [NUnit.Framework.TestCase("SESSION_NOT_FOUND", Koto.Live.Core.ResumeStep.GiveUp)]
        [NUnit.Framework.TestCase("SESSION_LESSON_MISMATCH", Koto.Live.Core.ResumeStep.GiveUp)]
        [NUnit.Framework.TestCase("AUTH_TOKEN_EXPIRED", Koto.Live.Core.ResumeStep.GiveUp)]
        [NUnit.Framework.TestCase("SERVER_DRAINING", Koto.Live.Core.ResumeStep.Retry)]
        [NUnit.Framework.TestCase("SERVER_BUSY", Koto.Live.Core.ResumeStep.Retry)]
        [NUnit.Framework.TestCase("REDIS_UNAVAILABLE", Koto.Live.Core.ResumeStep.Retry)]
        [NUnit.Framework.TestCase("MATCHMAKING_FAILED", Koto.Live.Core.ResumeStep.Retry)]
        [NUnit.Framework.TestCase("NETWORK_ERROR", Koto.Live.Core.ResumeStep.Retry)]
        public void DecidesWhatToDoAfterARefusal(string code, Koto.Live.Core.ResumeStep expected)
        {
            NUnit.Framework.Assert.AreEqual(expected, Koto.Live.Core.SessionMoves.AfterRefusal(code));
        }

        [NUnit.Framework.Test]
        public void BacksOffAsTheWebClientDoesAndGivesUpAfterTwoMinutes()
        {
            var policy = Koto.Live.Core.SessionMoves.NewPolicy(() => 0.999999);
            NUnit.Framework.Assert.AreEqual(250, policy.DelayBefore(1), 0.01);
            NUnit.Framework.Assert.AreEqual(5000, policy.DelayBefore(6), 0.01);
            policy.Dropped(0);
            double now = 0;
            while (policy.Phase != Koto.Live.Core.ReconnectPhase.GaveUp && now < 200000)
            {
                now = policy.NextAttemptAtMs;
                if (policy.IsDue(now)) policy.Failed(now);
            }
            NUnit.Framework.Assert.AreEqual(Koto.Live.Core.ReconnectPhase.GaveUp, policy.Phase);
            NUnit.Framework.Assert.That(now, NUnit.Framework.Is.InRange(115000, 125000));
            NUnit.Framework.Assert.AreEqual(4100, Koto.Live.Core.SessionMoves.MovingCloseCode);
            NUnit.Framework.Assert.AreEqual(Koto.Live.Core.SessionMoves.DrainingMessage, Koto.Live.Core.MessageTypes.ServerDraining);
        }
    }
}
