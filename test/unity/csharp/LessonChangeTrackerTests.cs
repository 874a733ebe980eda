using System.Collections.Generic;
using System.Linq;
using Koto.Live.Core;
using NUnit.Framework;

namespace Koto.Live.Tests
{
    [TestFixture]
    public class LessonChangeTrackerTests
    {
        // A dialogue A, B, A, B, A where this learner plays B.
        private static readonly string[] Speakers = { "A", "B", "A", "B", "A" };

        private static LessonSnapshot At(string phase, int step, string hint = "", params AttemptSnapshot[] attempts)
        {
            return new LessonSnapshot { Phase = phase, CurrentStep = step, StepSpeakers = Speakers, MyRole = "B", MyLastHint = hint, MyAttempts = attempts.ToList() };
        }

        private static string[] Names(List<LessonChange> changes)
        {
            return changes.Select(change => change.ToString()).ToArray();
        }

        [Test]
        public void TheFirstPatchIsTheStartingPointNotNews()
        {
            var tracker = new LessonChangeTracker();
            var changes = tracker.Observe(At("running", 3, "", new AttemptSnapshot("old", "scored", -1, 12)));
            Assert.AreEqual(new[] { "PhaseChanged running", "StepChanged 3", "AttemptUpdated old" }, Names(changes));
        }

        [Test]
        public void StartingPlaysThePartnersLinesUpToTheLearnersFirst()
        {
            var tracker = new LessonChangeTracker();
            tracker.Observe(At("lobby", 0));
            Assert.AreEqual(new[] { "PhaseChanged running", "PartnerLine 0", "StepChanged 1" }, Names(tracker.Observe(At("running", 1))));
        }

        [Test]
        public void AnAnswerThatMovesOnTellsOnlyThePartnersLinesPassed()
        {
            var tracker = new LessonChangeTracker();
            tracker.Observe(At("running", 1));
            // The learner said line 1 (B); the server said 2 (A); now line 3 (B) is theirs.
            Assert.AreEqual(new[] { "PartnerLine 2", "StepChanged 3" }, Names(tracker.Observe(At("running", 3))));
            Assert.AreEqual(new[] { "PartnerLine 4" }, Names(tracker.Observe(At("finished", 5))).Skip(1).ToArray());
        }

        [Test]
        public void ATutorMovingTheLessonBackIsAStepChangeWithoutPartnerLines()
        {
            var tracker = new LessonChangeTracker();
            tracker.Observe(At("running", 3));
            Assert.AreEqual(new[] { "StepChanged 1" }, Names(tracker.Observe(At("running", 1))));
        }

        [Test]
        public void TutorsHearNoPartnerLines()
        {
            var tracker = new LessonChangeTracker();
            var tutorView = At("running", 1);
            tutorView.MyRole = "";
            tracker.Observe(tutorView);
            tutorView.CurrentStep = 3;
            Assert.AreEqual(new[] { "StepChanged 3" }, Names(tracker.Observe(tutorView)));
        }

        [Test]
        public void FollowsASpokenAttemptToItsScoreAndATutorsGrade()
        {
            var tracker = new LessonChangeTracker();
            tracker.Observe(At("running", 1));
            Assert.AreEqual(new[] { "AttemptUpdated a1" }, Names(tracker.Observe(At("running", 1, "", new AttemptSnapshot("a1", "recording", -1, 0)))));
            Assert.AreEqual(new[] { "AttemptUpdated a1" }, Names(tracker.Observe(At("running", 1, "", new AttemptSnapshot("a1", "evaluating", -1, 0)))));
            Assert.AreEqual(new string[0], Names(tracker.Observe(At("running", 1, "", new AttemptSnapshot("a1", "evaluating", -1, 0)))), "an unrelated patch is quiet");
            Assert.AreEqual(new[] { "AttemptUpdated a1", "AttemptScored a1" }, Names(tracker.Observe(At("running", 1, "", new AttemptSnapshot("a1", "scored", -1, 12)))));
            Assert.AreEqual(new[] { "AttemptUpdated a1", "TutorGraded a1" }, Names(tracker.Observe(At("running", 1, "", new AttemptSnapshot("a1", "scored", 90, 12)))));
        }

        [Test]
        public void ATypedAnswerArrivesAlreadyScored()
        {
            var tracker = new LessonChangeTracker();
            tracker.Observe(At("running", 1));
            Assert.AreEqual(new[] { "PartnerLine 2", "StepChanged 3", "AttemptUpdated t1", "AttemptScored t1" },
                Names(tracker.Observe(At("running", 3, "", new AttemptSnapshot("t1", "scored", -1, 12)))));
        }

        [Test]
        public void ReportsAFailureAndItsReEvaluation()
        {
            var tracker = new LessonChangeTracker();
            tracker.Observe(At("running", 1, "", new AttemptSnapshot("a1", "evaluating", -1, 0)));
            Assert.AreEqual(new[] { "AttemptUpdated a1", "AttemptFailed a1" }, Names(tracker.Observe(At("running", 1, "", new AttemptSnapshot("a1", "failed", -1, 0)))));
            tracker.Observe(At("running", 1, "", new AttemptSnapshot("a1", "evaluating", -1, 0)));
            Assert.AreEqual(new[] { "AttemptUpdated a1", "AttemptScored a1" }, Names(tracker.Observe(At("running", 1, "", new AttemptSnapshot("a1", "scored", -1, 12)))));
        }

        [Test]
        public void ShowsANewHintOnce()
        {
            var tracker = new LessonChangeTracker();
            tracker.Observe(At("running", 1));
            Assert.AreEqual(new[] { "HintShown 안녕하세요 (annyeonghaseyo)" }, Names(tracker.Observe(At("running", 1, "안녕하세요 (annyeonghaseyo)"))));
            Assert.AreEqual(new string[0], Names(tracker.Observe(At("running", 1, "안녕하세요 (annyeonghaseyo)"))));
        }
    }
}
