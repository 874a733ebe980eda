using System.Collections.Generic;

namespace Koto.Live.Core
{
    /// <summary>The parts of the synced lesson state a learner's events are made from, copied out of a patch.</summary>
    public sealed class LessonSnapshot
    {
        public string Phase = "";
        public int CurrentStep;
        /// <summary>"A" / "B" for each step, in order.</summary>
        public string[] StepSpeakers = new string[0];
        /// <summary>This learner's dialogue role; "" for a tutor.</summary>
        public string MyRole = "";
        /// <summary>This learner's <c>progress.lastHint</c>.</summary>
        public string MyLastHint = "";
        public List<AttemptSnapshot> MyAttempts = new List<AttemptSnapshot>();
    }

    public struct AttemptSnapshot
    {
        public string Id;
        public string Status;
        public int TutorScore;
        public int SyllableCount;

        public AttemptSnapshot(string id, string status, int tutorScore, int syllableCount)
        {
            Id = id;
            Status = status;
            TutorScore = tutorScore;
            SyllableCount = syllableCount;
        }
    }

    public enum LessonChangeKind
    {
        PhaseChanged,
        StepChanged,
        /// <summary>A line the other side said (the server or the pair partner).</summary>
        PartnerLine,
        HintShown,
        AttemptUpdated,
        AttemptScored,
        AttemptFailed,
        TutorGraded,
    }

    public struct LessonChange
    {
        public LessonChangeKind Kind;
        /// <summary>The step for StepChanged and PartnerLine.</summary>
        public int Step;
        /// <summary>The attempt for the Attempt* and TutorGraded kinds.</summary>
        public string AttemptId;
        /// <summary>The phase or the hint.</summary>
        public string Text;

        public override string ToString()
        {
            return Kind + (Kind == LessonChangeKind.StepChanged || Kind == LessonChangeKind.PartnerLine ? " " + Step : "")
                + (AttemptId != null ? " " + AttemptId : "") + (Text != null ? " " + Text : "");
        }
    }

    /// <summary>
    /// Turns successive state patches into the events a lesson screen reacts to: the conversation
    /// moving (and which lines the other side said on the way), hints, and this learner's attempts
    /// reaching scored / failed / a tutor's grade. Pure, so the rules are tested without Unity;
    /// LessonSession feeds it and raises the typed C# events.
    /// </summary>
    public sealed class LessonChangeTracker
    {
        private bool seen;
        private string phase = "";
        private int step = -1;
        private string hint = "";
        private readonly Dictionary<string, AttemptSnapshot> attempts = new Dictionary<string, AttemptSnapshot>();

        public List<LessonChange> Observe(LessonSnapshot snapshot)
        {
            var changes = new List<LessonChange>();
            if (snapshot.Phase != phase)
            {
                phase = snapshot.Phase;
                changes.Add(new LessonChange { Kind = LessonChangeKind.PhaseChanged, Text = phase });
            }
            if (snapshot.CurrentStep != step)
            {
                // Lines passed since the last patch that this learner did not say were the other side's.
                // Not on the first patch (that is history) and not when a tutor moves the lesson back.
                if (seen && step >= 0 && !string.IsNullOrEmpty(snapshot.MyRole))
                {
                    for (int index = step; index < snapshot.CurrentStep && index < snapshot.StepSpeakers.Length; index++)
                    {
                        if (snapshot.StepSpeakers[index] != snapshot.MyRole) changes.Add(new LessonChange { Kind = LessonChangeKind.PartnerLine, Step = index });
                    }
                }
                step = snapshot.CurrentStep;
                if (step >= 0 && step < snapshot.StepSpeakers.Length) changes.Add(new LessonChange { Kind = LessonChangeKind.StepChanged, Step = step });
            }
            if ((snapshot.MyLastHint ?? "") != hint)
            {
                hint = snapshot.MyLastHint ?? "";
                if (hint.Length > 0) changes.Add(new LessonChange { Kind = LessonChangeKind.HintShown, Text = hint });
            }
            foreach (var attempt in snapshot.MyAttempts) ObserveAttempt(attempt, changes);
            seen = true;
            return changes;
        }

        private void ObserveAttempt(AttemptSnapshot attempt, List<LessonChange> changes)
        {
            AttemptSnapshot before;
            bool known = attempts.TryGetValue(attempt.Id, out before);
            if (known && before.Status == attempt.Status && before.TutorScore == attempt.TutorScore && before.SyllableCount == attempt.SyllableCount) return;
            attempts[attempt.Id] = attempt;
            changes.Add(new LessonChange { Kind = LessonChangeKind.AttemptUpdated, AttemptId = attempt.Id });
            // Results that were already there when we joined are history, not news.
            bool statusIsNews = seen && (!known || before.Status != attempt.Status);
            if (statusIsNews && attempt.Status == AttemptStatuses.Scored) changes.Add(new LessonChange { Kind = LessonChangeKind.AttemptScored, AttemptId = attempt.Id });
            if (statusIsNews && attempt.Status == AttemptStatuses.Failed) changes.Add(new LessonChange { Kind = LessonChangeKind.AttemptFailed, AttemptId = attempt.Id });
            if (known && before.TutorScore < 0 && attempt.TutorScore >= 0) changes.Add(new LessonChange { Kind = LessonChangeKind.TutorGraded, AttemptId = attempt.Id });
        }
    }
}
