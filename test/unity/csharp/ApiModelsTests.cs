using System.IO;
using Koto.Live.Core;
using NUnit.Framework;

namespace Koto.Live.Tests
{
    /// <summary>
    /// The models read real answers of a KOTO server started by the mocha runner in the same run
    /// (test/unity/unity-core.test.ts writes each as NAME.status and NAME.body into KOTO_API_RESPONSES).
    /// </summary>
    [TestFixture]
    public class ApiModelsTests
    {
        private static readonly DataContractJson Json = new DataContractJson();

        private static T Read<T>(string name) where T : class
        {
            string folder = Fixtures.PathFrom("KOTO_API_RESPONSES");
            int status = int.Parse(File.ReadAllText(Path.Combine(folder, name + ".status")).Trim());
            return ApiResponses.Read<T>(status, File.ReadAllText(Path.Combine(folder, name + ".body")), Json);
        }

        private static KotoException Refusal(string name)
        {
            return Assert.Throws<KotoException>(() => Read<SignInResponse>(name));
        }

        [Test]
        public void ReadsAGuestSignIn()
        {
            var answer = Read<SignInResponse>("guest");
            Assert.That(answer.token, Is.StringStarting("eyJ"));
            Assert.That(answer.expiresAt, Is.StringMatching(@"^\d{4}-\d\d-\d\dT"));
            Assert.AreEqual("Unity Learner", answer.user.displayName);
            Assert.AreEqual("learner", answer.user.role);
            Assert.That(answer.user.id, Is.Not.Empty);
        }

        [Test]
        public void ReadsATutorLogin()
        {
            var answer = Read<SignInResponse>("login");
            Assert.AreEqual("tutor", answer.user.role);
            Assert.AreEqual("teacher@koto.test", answer.user.email);
        }

        [Test]
        public void ReadsTheLessonCatalog()
        {
            var catalog = Read<LessonCatalog>("lessons");
            Assert.That(catalog.packs.Length, Is.GreaterThanOrEqualTo(2));
            Assert.That(catalog.lessons.Length, Is.GreaterThanOrEqualTo(10));
            var first = catalog.lessons[0];
            Assert.AreEqual("ko-en-01-greetings", first.id);
            Assert.AreEqual("ko-en", first.pack);
            Assert.That(first.stepCount, Is.GreaterThan(2));
            Assert.That(first.title, Is.Not.Empty);
            Assert.Contains("ko-en-01-greetings", catalog.packs[0].lessonIds);
            var indonesian = Read<LessonCatalog>("lessons-ko-id");
            Assert.AreEqual(1, indonesian.packs.Length);
            Assert.AreEqual("id", indonesian.packs[0].learnerLanguage);
        }

        [Test]
        public void ReadsAWholeLessonWithKoreanText()
        {
            var lesson = Read<LessonDetail>("lesson");
            Assert.AreEqual("ko-en-01-greetings", lesson.id);
            Assert.AreEqual("민수", lesson.roles.A.name);
            Assert.AreEqual("B", lesson.learnerRole);
            Assert.That(lesson.vocabulary[0].romanization, Is.Not.Empty);
            Assert.AreEqual("안녕하세요. 저는 {name}예요.", lesson.steps[1].korean);
            Assert.AreEqual(1, lesson.steps[1].index);
            Assert.AreEqual("B", lesson.steps[1].speaker);
            Assert.AreEqual(lesson.steps[1].korean, lesson.steps[1].accepted[0]);
        }

        [Test]
        public void ReadsProgress()
        {
            var answer = Read<ProgressResponse>("progress");
            Assert.AreEqual("learner", answer.user.role);
            Assert.AreEqual(1, answer.progress.Length);
            var entry = answer.progress[0];
            Assert.AreEqual("ko-en-01-greetings", entry.lessonId);
            Assert.AreEqual(new[] { 1, 3 }, entry.completedSteps);
            Assert.AreEqual(4, entry.currentStep);
            Assert.AreEqual(87, entry.bestScore);
            Assert.That(entry.stepCount, Is.GreaterThan(4));
            Assert.IsFalse(entry.IsCompleted, "completedAt is null in JSON");
        }

        [Test]
        public void TurnsErrorAnswersIntoCodesAndSentences()
        {
            var badLogin = Refusal("login-wrong");
            Assert.AreEqual(ErrorCodes.LoginFailed, badLogin.Code);
            Assert.AreEqual(401, badLogin.HttpStatus);
            Assert.That(badLogin.Error.Message, Is.Not.Empty);
            Assert.AreEqual(ErrorCodes.AuthTokenMissing, Refusal("progress-no-token").Code);
            Assert.IsTrue(ErrorCodes.NeedsSignIn(Refusal("progress-bad-token").Code));
            Assert.AreEqual(ErrorCodes.LessonNotFound, Refusal("lesson-missing").Code);
            Assert.AreEqual(ErrorCodes.BodyInvalid, Refusal("guest-empty-name").Code);
        }

        [Test]
        public void ReportsAnswersThatAreNotOursPlainly()
        {
            var proxyPage = Assert.Throws<KotoException>(() => ApiResponses.Read<LessonCatalog>(502, "<html>Bad Gateway</html>", Json));
            Assert.AreEqual(ErrorCodes.ResponseInvalid, proxyPage.Code);
            Assert.AreEqual(ErrorCodes.NetworkError, ApiResponses.ReadError(0, "", Json).Code);
            Assert.AreEqual(ErrorCodes.ResponseInvalid, Assert.Throws<KotoException>(() => ApiResponses.Read<LessonCatalog>(200, "not json", Json)).Code);
        }

        [Test]
        public void ReadsATutorsMove()
        {
            var move = Json.Read<TutorMovedMessage>("{\"by\":\"Teacher Kim\",\"step\":3,\"direction\":\"back\"}");
            Assert.AreEqual("Teacher Kim", move.by);
            Assert.AreEqual(3, move.step);
            Assert.IsTrue(move.IsBack);
            Assert.IsFalse(Json.Read<TutorMovedMessage>("{\"by\":\"Kim\",\"step\":4,\"direction\":\"advance\"}").IsBack);
        }
    }
}
