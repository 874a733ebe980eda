using Koto.Live.Core;
using NUnit.Framework;

namespace Koto.Live.Tests
{
    /// <summary>What the player is told about the microphone, from the WebGL plugin's statuses and the standalone checks.</summary>
    [TestFixture]
    public class MicrophoneStatesTests
    {
        // The statuses KotoMicrophone.jslib reports (test/unity/webgl-microphone.test.ts sees them in Chromium).
        [TestCase(1, MicrophoneState.Capturing)]
        [TestCase(2, MicrophoneState.WaitingForGesture)]
        [TestCase(3, MicrophoneState.Denied)]
        [TestCase(4, MicrophoneState.Unsupported)]
        [TestCase(5, MicrophoneState.Off)]
        [TestCase(99, MicrophoneState.Off)]
        public void ReadsTheWebGLPluginsStatuses(int status, MicrophoneState state)
        {
            Assert.AreEqual(state, MicrophoneStates.FromWebGLStatus(status));
        }

        [TestCase(MicrophoneState.Denied, "MICROPHONE_DENIED", true)]
        [TestCase(MicrophoneState.Unsupported, "MICROPHONE_UNSUPPORTED", true)]
        [TestCase(MicrophoneState.Unavailable, "MICROPHONE_UNAVAILABLE", true)]
        [TestCase(MicrophoneState.WaitingForGesture, "MICROPHONE_NEEDS_GESTURE", false)]
        public void TellsThePlayerWithACodeAndASentence(MicrophoneState state, string code, bool failure)
        {
            KotoError error = MicrophoneStates.ErrorFor(state);
            Assert.AreEqual(code, error.Code);
            Assert.AreEqual(failure, MicrophoneStates.IsFailure(state));
            Assert.That(error.Sentence, Is.Not.StringStarting("Something went wrong"), "each has a sentence of its own");
            Assert.AreEqual(error.Sentence, error.Message, "the sentence doubles as the message when there is no detail");
            Assert.IsFalse(ErrorCodes.IsRetryable(code));
        }

        [TestCase(MicrophoneState.Off)]
        [TestCase(MicrophoneState.Starting)]
        [TestCase(MicrophoneState.Capturing)]
        public void HasNothingToTellWhileAllIsWell(MicrophoneState state)
        {
            Assert.IsNull(MicrophoneStates.ErrorFor(state));
            Assert.IsFalse(MicrophoneStates.IsFailure(state));
        }

        [Test]
        public void KeepsTheDetailForLogsAndTheTablesSentenceForPlayers()
        {
            KotoError error = MicrophoneStates.ErrorFor(MicrophoneState.Unavailable, "No microphone was found.");
            Assert.AreEqual("No microphone was found.", error.Message);
            Assert.That(error.Sentence, Is.StringContaining("type your answers"));
        }
    }
}
