using System;
using System.Collections.Generic;
using System.Text;

namespace Koto.Live.Core
{
    /// <summary>An sRGB colour with alpha, convertible to Unity's Color32 without an engine reference.</summary>
    public struct VerdictColor
    {
        public readonly byte R;
        public readonly byte G;
        public readonly byte B;
        public readonly byte A;

        public VerdictColor(byte r, byte g, byte b, byte a = 255)
        {
            R = r;
            G = g;
            B = b;
            A = a;
        }

        /// <summary>"#RRGGBB" for rich text (<c>&lt;color=#15803D&gt;</c>).</summary>
        public string Hex { get { return "#" + R.ToString("X2") + G.ToString("X2") + B.ToString("X2"); } }
    }

    /// <summary>
    /// Syllable verdicts to colours: the web client's palette (web-client/src/styles.css), so a tutor
    /// sees a Unity learner's line coloured as on the web.
    /// </summary>
    public static class Verdicts
    {
        public const string Correct = "correct";
        public const string Substituted = "substituted";
        public const string Omitted = "omitted";
        public const string Inserted = "inserted";

        public static readonly VerdictColor Good = new VerdictColor(0x15, 0x80, 0x3d);
        public static readonly VerdictColor Fair = new VerdictColor(0xb4, 0x53, 0x09);
        public static readonly VerdictColor Poor = new VerdictColor(0xb9, 0x1c, 0x1c);
        public static readonly VerdictColor Extra = new VerdictColor(0x7e, 0x22, 0xce);
        /// <summary>A verdict this SDK does not know yet: neutral grey rather than a guess.</summary>
        public static readonly VerdictColor Unknown = new VerdictColor(0x6b, 0x72, 0x80);

        public static VerdictColor ColorOf(string verdict)
        {
            switch (verdict)
            {
                case Correct: return Good;
                case Substituted: return Fair;
                case Omitted: return Poor;
                case Inserted: return Extra;
                default: return Unknown;
            }
        }
    }

    /// <summary>Which rich-text dialect <see cref="AttemptView.ToRichText"/> writes.</summary>
    public enum RichTextMarkup
    {
        /// <summary>uGUI's <c>UnityEngine.UI.Text</c> (supportRichText): b, i, size, color.</summary>
        UGui,
        /// <summary>TextMeshPro (<c>TMP_Text</c>), which also strikes through (<c>&lt;s&gt;</c>).</summary>
        TextMeshPro,
    }

    /// <summary>One expected-versus-heard jamo change, from the server's "ㅓ>ㅗ" notation.</summary>
    public struct JamoChange
    {
        public string Expected;
        /// <summary>Empty when the sound was missing.</summary>
        public string Heard;

        /// <summary>"ㅓ heard as ㅗ" (∅ for a missing sound).</summary>
        public string Describe()
        {
            return Expected + " heard as " + (string.IsNullOrEmpty(Heard) ? "∅" : Heard);
        }
    }

    /// <summary>A syllable result as the state carries it (Koto.Schema.SyllableResult's fields).</summary>
    public struct SyllableInput
    {
        public int Index;
        public string Target;
        public string Heard;
        public string Verdict;
        public string Jamo;

        public SyllableInput(int index, string target, string heard, string verdict, string jamo)
        {
            Index = index;
            Target = target;
            Heard = heard;
            Verdict = verdict;
            Jamo = jamo;
        }
    }

    public sealed class SyllableView
    {
        /// <summary>What to draw: the target syllable, or the heard one for an insertion.</summary>
        public string Text;
        public string Verdict;
        public VerdictColor Color;
        public List<JamoChange> Changes = new List<JamoChange>();
        /// <summary>Tooltip / screen-reader text: "heard 오 · ㅛ heard as ㅗ", "missing", "extra".</summary>
        public string Description;
        public bool IsProblem { get { return Verdict != Verdicts.Correct; } }
    }

    /// <summary>
    /// What a learner sees of an attempt: syllables coloured by verdict with "ㅓ heard as ㅗ" notes, the
    /// scores (fluency hidden when not measured), the status line and the tip. Built from plain values so
    /// it is tested without Unity; Koto.Live maps the synced Attempt onto it.
    /// </summary>
    public sealed class AttemptView
    {
        public string AttemptId;
        public string Status;
        public bool Correct;
        /// <summary>The server's pass rule (every syllable right by sound, or a tutor grade at the pass mark): titles follow it.</summary>
        public bool Passed;
        public int Overall;
        public int Accuracy;
        public int Completeness;
        /// <summary>-1 when not measured (typed answers).</summary>
        public int Fluency;
        public int TutorScore;
        public string Feedback;
        /// <summary>Machine code of a failure (<c>NO_SPEECH</c>, <c>STT_UNAVAILABLE</c>, …); "" when not failed.</summary>
        public string FailureCode;
        /// <summary>The server's English sentence for the failure.</summary>
        public string FailureReason;
        public List<SyllableView> Syllables = new List<SyllableView>();

        public bool IsFinished { get { return AttemptStatuses.IsFinished(Status); } }
        public bool HasFluency { get { return Fluency >= 0; } }
        public bool IsTutorGraded { get { return TutorScore >= 0; } }

        public static AttemptView Build(string attemptId, string status, bool correct, bool passed, int overall, int accuracy, int completeness,
            int fluency, int tutorScore, string feedback, string failureCode, string failureReason, IEnumerable<SyllableInput> syllables)
        {
            var view = new AttemptView
            {
                AttemptId = attemptId,
                Status = status,
                Correct = correct,
                Passed = passed,
                FailureCode = failureCode ?? "",
                Overall = overall,
                Accuracy = accuracy,
                Completeness = completeness,
                Fluency = fluency,
                TutorScore = tutorScore,
                Feedback = feedback ?? "",
                FailureReason = failureReason ?? "",
            };
            if (syllables != null)
            {
                foreach (var syllable in syllables) view.Syllables.Add(ViewOf(syllable));
            }
            return view;
        }

        /// <summary>The status in a learner's words.</summary>
        public string StatusLine
        {
            get
            {
                switch (Status)
                {
                    case AttemptStatuses.Recording: return "Listening…";
                    case AttemptStatuses.Evaluating: return "Checking your answer…";
                    case AttemptStatuses.Scored: return Passed ? "Well said! " + Overall + "/100" : "Almost: " + Overall + "/100";
                    case AttemptStatuses.Failed: return AttemptFailures.Describe(FailureCode, FailureReason);
                    case AttemptStatuses.AwaitingTutor: return "Saved: your tutor will grade it.";
                    default: return Status ?? "";
                }
            }
        }

        /// <summary>
        /// The line as Unity rich text: each syllable in its verdict colour, and a missing one marked too, so the
        /// line reads without colour. uGUI's <c>Text</c> knows only b, i, size and color, so there a missing
        /// syllable is in italics; TextMeshPro strikes it through, as the web client does.
        /// </summary>
        public string ToRichText(RichTextMarkup markup = RichTextMarkup.UGui)
        {
            string open = markup == RichTextMarkup.TextMeshPro ? "<s>" : "<i>";
            string close = markup == RichTextMarkup.TextMeshPro ? "</s>" : "</i>";
            var text = new StringBuilder();
            foreach (var syllable in Syllables)
            {
                string body = syllable.Verdict == Verdicts.Omitted ? open + syllable.Text + close : syllable.Text;
                text.Append("<color=").Append(syllable.Color.Hex).Append('>').Append(body).Append("</color>");
            }
            return text.ToString();
        }

        /// <summary>"요: ㅛ heard as ㅗ" lines for every problem syllable.</summary>
        public List<string> ProblemNotes()
        {
            var notes = new List<string>();
            foreach (var syllable in Syllables)
            {
                if (syllable.IsProblem) notes.Add(syllable.Text + ": " + syllable.Description);
            }
            return notes;
        }

        public static SyllableView ViewOf(SyllableInput syllable)
        {
            var view = new SyllableView
            {
                Text = syllable.Verdict == Verdicts.Inserted ? syllable.Heard : syllable.Target,
                Verdict = syllable.Verdict,
                Color = Verdicts.ColorOf(syllable.Verdict),
            };
            view.Changes = ParseJamo(syllable.Jamo);
            view.Description = Describe(syllable, view.Changes);
            return view;
        }

        /// <summary>"ㅓ>ㅗ,ㄱ>ㅋ" → two changes; "ㅇ>" is a missing sound. Malformed parts are skipped.</summary>
        public static List<JamoChange> ParseJamo(string jamo)
        {
            var changes = new List<JamoChange>();
            if (string.IsNullOrEmpty(jamo)) return changes;
            foreach (string part in jamo.Split(','))
            {
                int arrow = part.IndexOf('>');
                if (arrow <= 0) continue;
                changes.Add(new JamoChange { Expected = part.Substring(0, arrow).Trim(), Heard = part.Substring(arrow + 1).Trim() });
            }
            return changes;
        }

        private static string Describe(SyllableInput syllable, List<JamoChange> changes)
        {
            switch (syllable.Verdict)
            {
                case Verdicts.Correct: return "correct";
                case Verdicts.Omitted: return "missing";
                case Verdicts.Inserted: return "extra";
            }
            var parts = new List<string> { "heard " + (string.IsNullOrEmpty(syllable.Heard) ? "?" : syllable.Heard) };
            foreach (var change in changes) parts.Add(change.Describe());
            return string.Join(" · ", parts.ToArray());
        }
    }
}

namespace Koto.Live.Core
{
    /// <summary>Failure codes of attempts (<c>Attempt.failureCode</c>), read through the protocol's table.</summary>
    public static class AttemptFailures
    {
        /// <summary>The sentence for a failure: the protocol's for a known code, else the server's own, else a generic one.</summary>
        public static string Describe(string failureCode, string serverSentence)
        {
            return ProtocolErrors.SentenceFor(failureCode, string.IsNullOrEmpty(serverSentence) ? "This attempt could not be scored." : serverSentence);
        }

        /// <summary>True when the server evaluates the attempt again by itself (provider outage, restart).</summary>
        public static bool WillBeRetried(string failureCode)
        {
            return failureCode != null && ProtocolErrors.RetriedAutomatically.Contains(failureCode);
        }
    }
}
