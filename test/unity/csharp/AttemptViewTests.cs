using Koto.Live.Core;
using NUnit.Framework;

namespace Koto.Live.Tests
{
    [TestFixture]
    public class AttemptViewTests
    {
        private static AttemptView Scored()
        {
            return AttemptView.Build("a1", "scored", false, false, 98, 97, 100, 88, -1, "Watch the 요.", "", "", new[]
            {
                new SyllableInput(0, "안", "안", "correct", ""),
                new SyllableInput(1, "요", "오", "substituted", "ㅛ>ㅗ"),
                new SyllableInput(2, "세", "", "omitted", ""),
                new SyllableInput(-1, "", "네", "inserted", ""),
                new SyllableInput(3, "저", "조", "substituted", "ㅓ>ㅗ,ㅈ>ㅊ"),
            });
        }

        [Test]
        public void ColoursEachVerdictAsTheWebClientDoes()
        {
            var view = Scored();
            Assert.AreEqual("#15803D", view.Syllables[0].Color.Hex);
            Assert.AreEqual("#B45309", view.Syllables[1].Color.Hex);
            Assert.AreEqual("#B91C1C", view.Syllables[2].Color.Hex);
            Assert.AreEqual("#7E22CE", view.Syllables[3].Color.Hex);
            Assert.AreEqual(Verdicts.Unknown.Hex, Verdicts.ColorOf("something-new").Hex);
        }

        [Test]
        public void SaysWhichSoundWasHeardInsteadOfWhich()
        {
            var view = Scored();
            Assert.AreEqual("heard 오 · ㅛ heard as ㅗ", view.Syllables[1].Description);
            Assert.AreEqual("heard 조 · ㅓ heard as ㅗ · ㅈ heard as ㅊ", view.Syllables[4].Description);
            Assert.AreEqual("missing", view.Syllables[2].Description);
            Assert.AreEqual("extra", view.Syllables[3].Description);
            Assert.AreEqual("네", view.Syllables[3].Text, "an insertion shows what was heard");
            Assert.AreEqual(new[] { "요: heard 오 · ㅛ heard as ㅗ", "세: missing", "네: extra", "저: heard 조 · ㅓ heard as ㅗ · ㅈ heard as ㅊ" }, view.ProblemNotes().ToArray());
        }

        [Test]
        public void ReadsAMissingSoundAndSkipsMalformedParts()
        {
            var changes = AttemptView.ParseJamo("ㅇ>,>ㅗ,junk,ㄱ>ㅋ");
            Assert.AreEqual(2, changes.Count);
            Assert.AreEqual("ㅇ heard as ∅", changes[0].Describe());
            Assert.AreEqual("ㄱ heard as ㅋ", changes[1].Describe());
        }

        private static AttemptView MissingTheLastSyllable()
        {
            return AttemptView.Build("a", "scored", true, true, 100, 100, 100, -1, -1, "", "", "", new[]
            {
                new SyllableInput(0, "네", "네", "correct", ""),
                new SyllableInput(1, "요", "", "omitted", ""),
                new SyllableInput(-1, "", "오", "inserted", ""),
            });
        }

        [Test]
        public void WritesRichTextUguiTextUnderstands()
        {
            var view = MissingTheLastSyllable();
            Assert.AreEqual("<color=#15803D>네</color><color=#B91C1C><i>요</i></color><color=#7E22CE>오</color>", view.ToRichText());
            Assert.AreEqual(view.ToRichText(), view.ToRichText(RichTextMarkup.UGui));
            // UnityEngine.UI.Text shows any other tag (<s>, <u>, <mark>…) as literal text.
            foreach (System.Text.RegularExpressions.Match tag in System.Text.RegularExpressions.Regex.Matches(view.ToRichText(), "</?([a-z]+)"))
            {
                Assert.Contains(tag.Groups[1].Value, new[] { "b", "i", "size", "color" });
            }
            Assert.IsFalse(view.HasFluency);
            Assert.IsFalse(view.IsTutorGraded);
        }

        [Test]
        public void StrikesMissingSyllablesThroughForTextMeshPro()
        {
            Assert.AreEqual("<color=#15803D>네</color><color=#B91C1C><s>요</s></color><color=#7E22CE>오</color>",
                MissingTheLastSyllable().ToRichText(RichTextMarkup.TextMeshPro));
        }

        [Test]
        public void DescribesTheStatusForALearner()
        {
            Assert.AreEqual("Almost: 98/100", Scored().StatusLine);
            // A tutor's passing grade passes an attempt the automatic score did not: the title follows "passed".
            var graded = AttemptView.Build("a", "scored", false, true, 70, 70, 100, 60, 85, "", "", "", null);
            Assert.AreEqual("Well said! 70/100", graded.StatusLine);
            var failed = AttemptView.Build("a", "failed", false, false, 0, 0, 0, -1, -1, "", "NO_SPEECH", "no speech (server sentence)", null);
            Assert.AreEqual(ProtocolErrors.Sentences["NO_SPEECH"], failed.StatusLine);
            Assert.IsTrue(failed.IsFinished);
            var outage = AttemptView.Build("a", "failed", false, false, 0, 0, 0, -1, -1, "", "STT_UNAVAILABLE", "", null);
            Assert.That(outage.StatusLine, Is.StringContaining("Speech recognition"));
            Assert.IsTrue(AttemptFailures.WillBeRetried("SERVER_RESTARTED"));
            Assert.IsFalse(AttemptFailures.WillBeRetried("NO_SPEECH"));
            var unknown = AttemptView.Build("a", "failed", false, false, 0, 0, 0, -1, -1, "", "SOMETHING_NEW", "The server's own words.", null);
            Assert.AreEqual("The server's own words.", unknown.StatusLine);
            Assert.IsFalse(AttemptView.Build("a", "evaluating", false, false, 0, 0, 0, -1, -1, null, null, null, null).IsFinished);
        }
    }

    [TestFixture]
    public class ServerAddressAndErrorTests
    {
        [TestCase("https://example.com/koto-api/", "https://example.com/koto-api")]
        [TestCase("wss://example.com/koto-api", "https://example.com/koto-api")]
        [TestCase("http://127.0.0.1:5000", "http://127.0.0.1:5000")]
        [TestCase("https://example.com:443", "https://example.com")]
        public void KeepsThePathPrefix(string input, string expected)
        {
            var address = new ServerAddress(input);
            Assert.AreEqual(expected, address.HttpBase);
            Assert.AreEqual(expected + "/api/lessons", address.Api("/api/lessons"));
        }

        [TestCase("")]
        [TestCase("example.com")]
        [TestCase("ftp://example.com")]
        [TestCase("https://example.com/?x=1")]
        public void RefusesAddressesItCannotUse(string input)
        {
            Assert.Throws<System.ArgumentException>(() => new ServerAddress(input));
        }

        [Test]
        public void ReadsMatchmakingRefusalsAsTheProtocolSays()
        {
            var error = ErrorCodes.FromMatchmakeMessage("ROOM_FULL: this session already has 2 learner(s)");
            Assert.AreEqual("ROOM_FULL", error.Code);
            Assert.AreEqual("this session already has 2 learner(s)", error.Message);
            Assert.AreEqual("This session is full.", error.Sentence);
            // Only the protocol's codes count: anything else is MATCHMAKING_FAILED.
            Assert.AreEqual(ProtocolErrors.MatchmakingFailed, ErrorCodes.FromMatchmakeMessage("seat reservation expired.").Code);
            Assert.AreEqual(ProtocolErrors.MatchmakingFailed, ErrorCodes.FromMatchmakeMessage("NOT_A_KOTO_CODE: something").Code);
            Assert.AreEqual(ProtocolErrors.MatchmakingFailed, ErrorCodes.FromMatchmakeMessage(null).Code);
            Assert.IsTrue(ErrorCodes.NeedsSignIn("AUTH_TOKEN_EXPIRED"));
            Assert.IsTrue(ErrorCodes.IsRetryable("SPEECH_BUSY"));
            Assert.IsFalse(ErrorCodes.IsRetryable("LESSON_NOT_FOUND"));
        }

        [Test]
        public void ShowsPlayersTheProtocolsSentenceNeverTheCodeOrRawMessage()
        {
            Assert.AreEqual("Please sign in first.", new KotoError("AUTH_TOKEN_MISSING", "no bearer token in the request").Sentence);
            Assert.AreEqual(ProtocolErrors.Sentences["INTERNAL"], new KotoError("A_CODE_FROM_THE_FUTURE", "raw details").Sentence);
            Assert.That(new KotoError(ErrorCodes.ConnectionLost, "").Sentence, Is.StringContaining("connection"));
            Assert.AreEqual(1500, new KotoError("SPEECH_RATE_LIMITED", "wait", 1500).RetryAfterMs);
        }

        [Test]
        public void KnowsEveryCodeTheServerSends()
        {
            // Generated from protocol/error-codes.ts: spot-check codes of each group.
            foreach (var code in new[] { "LOGIN_FAILED", "STEP_MISMATCH", "AUDIO_FRAME_INVALID", "SPEECH_DAILY_LIMIT", "NO_SPEECH", "SERVER_RESTARTED_NO_AUDIO" })
            {
                Assert.IsTrue(ProtocolErrors.IsKnown(code), code);
            }
            Assert.That(ProtocolErrors.Sentences.Count, Is.GreaterThan(60));
        }
    }
}
