using System.Collections.Generic;
using Koto.Live.Core;
using NUnit.Framework;

namespace Koto.Live.Tests
{
    public sealed class RecordingTransport : IUtteranceTransport
    {
        public readonly List<string> Sent = new List<string>();
        public readonly List<byte[]> Frames = new List<byte[]>();
        public UtteranceOpenRequest Open;

        public void SendOpen(UtteranceOpenRequest request)
        {
            Open = request;
            Sent.Add("utterance-open");
        }

        public void SendAudio(byte[] frame)
        {
            Frames.Add(frame);
            Sent.Add("audio " + AudioFrames.ReadSequence(frame));
        }

        public void SendClose()
        {
            Sent.Add("utterance-close");
        }
    }

    [TestFixture]
    public class UtteranceTests
    {
        private static short[] Frame(short value)
        {
            var samples = new short[AudioFrames.FrameSamples];
            for (int index = 0; index < samples.Length; index++) samples[index] = value;
            return samples;
        }

        private static Utterance Make(RecordingTransport transport, UtteranceMode mode)
        {
            return new Utterance(transport, "unity-test-1", 3, mode);
        }

        [Test]
        public void OpensWithTheProtocolsPayload()
        {
            var transport = new RecordingTransport();
            var utterance = Make(transport, UtteranceMode.PushToTalk);
            Assert.AreEqual(UtteranceState.Idle, utterance.State);
            utterance.Open(0);
            Assert.AreEqual(UtteranceState.Opening, utterance.State);
            Assert.AreEqual("pcm16", transport.Open.codec);
            Assert.AreEqual(16000, transport.Open.sampleRate);
            Assert.AreEqual(3, transport.Open.step);
            Assert.AreEqual("unity-test-1", transport.Open.attemptId);
            Assert.AreEqual("push-to-talk", transport.Open.mode);
        }

        [Test]
        public void HoldsFramesUntilOpenedThenSendsThemNumberedFromZero()
        {
            var transport = new RecordingTransport();
            var utterance = Make(transport, UtteranceMode.HandsFree);
            utterance.Open(0);
            utterance.Push(Frame(1));
            utterance.Push(Frame(2));
            Assert.AreEqual(new[] { "utterance-open" }, transport.Sent.ToArray());
            utterance.OnOpened("someone-else");
            Assert.AreEqual(UtteranceState.Opening, utterance.State, "another attempt's answer is ignored");
            utterance.OnOpened("unity-test-1");
            Assert.AreEqual(UtteranceState.Streaming, utterance.State);
            utterance.Push(Frame(3));
            Assert.AreEqual(new[] { "utterance-open", "audio 0", "audio 1", "audio 2" }, transport.Sent.ToArray());
            Assert.AreEqual(new short[] { 1, 1 }, new[] { AudioFrames.ReadSamples(transport.Frames[0])[0], AudioFrames.ReadSamples(transport.Frames[0])[319] });
            Assert.AreEqual(3, AudioFrames.ReadSamples(transport.Frames[2])[0]);
        }

        [Test]
        public void KeepsItsOwnCopyOfAHeldFrameWhoseArrayTheCaptureChainReuses()
        {
            var transport = new RecordingTransport();
            var utterance = Make(transport, UtteranceMode.HandsFree);
            utterance.Open(0);
            short[] reused = Frame(1);
            utterance.Push(reused);
            for (int index = 0; index < reused.Length; index++) reused[index] = 2;
            utterance.Push(reused);
            utterance.OnOpened("unity-test-1");
            Assert.AreEqual(1, AudioFrames.ReadSamples(transport.Frames[0])[0]);
            Assert.AreEqual(2, AudioFrames.ReadSamples(transport.Frames[1])[0]);
        }

        [Test]
        public void RefusesASecondAnswerWhileOneIsUnderWayWithTheServersCode()
        {
            Assert.IsNull(Utterance.RefusalToStart(null));
            var utterance = Make(new RecordingTransport(), UtteranceMode.HandsFree);
            utterance.Open(0);
            KotoError refusal = Utterance.RefusalToStart(utterance);
            Assert.AreEqual("UTTERANCE_ALREADY_OPEN", refusal.Code);
            Assert.AreEqual("You are already speaking; finish that answer first.", refusal.Sentence);
            Assert.IsFalse(ErrorCodes.IsRetryable(refusal.Code));
            utterance.OnEnded("unity-test-1", "silence");
            Assert.IsNull(Utterance.RefusalToStart(utterance), "a finished answer does not stand in the way");
        }

        [Test]
        public void HandsFreeStopsWhenTheServerEndsTheUtterance()
        {
            var transport = new RecordingTransport();
            var utterance = Make(transport, UtteranceMode.HandsFree);
            var states = new List<UtteranceState>();
            utterance.StateChanged += changed => states.Add(changed.State);
            utterance.Open(0);
            utterance.OnOpened("unity-test-1");
            utterance.Push(Frame(1));
            utterance.OnEnded("unity-test-1", "silence");
            utterance.Push(Frame(2));
            Assert.AreEqual(UtteranceState.Ended, utterance.State);
            Assert.AreEqual("silence", utterance.Reason);
            Assert.AreEqual(1, utterance.FramesSent);
            Assert.AreEqual(new[] { UtteranceState.Opening, UtteranceState.Streaming, UtteranceState.Ended }, states.ToArray());
            Assert.IsFalse(transport.Sent.Contains("utterance-close"), "hands-free never closes by itself");
        }

        [Test]
        public void PushToTalkReleaseClosesAndStopsSending()
        {
            var transport = new RecordingTransport();
            var utterance = Make(transport, UtteranceMode.PushToTalk);
            utterance.Open(0);
            utterance.OnOpened("unity-test-1");
            utterance.Push(Frame(1));
            utterance.Release();
            utterance.Push(Frame(2));
            utterance.OnEnded("unity-test-1", "released");
            Assert.AreEqual(new[] { "utterance-open", "audio 0", "utterance-close" }, transport.Sent.ToArray());
            Assert.AreEqual(UtteranceState.Ended, utterance.State);
            Assert.AreEqual("released", utterance.Reason);
        }

        [Test]
        public void AReleaseBeforeTheServerAnswersClosesRightAfterTheHeldFrames()
        {
            var transport = new RecordingTransport();
            var utterance = Make(transport, UtteranceMode.PushToTalk);
            utterance.Open(0);
            utterance.Push(Frame(1));
            utterance.Release();
            Assert.AreEqual(UtteranceState.Opening, utterance.State);
            utterance.OnOpened("unity-test-1");
            Assert.AreEqual(new[] { "utterance-open", "audio 0", "utterance-close" }, transport.Sent.ToArray());
            Assert.AreEqual(UtteranceState.Ended, utterance.State);
        }

        [Test]
        public void FailsWhenTheServerRefusesTheOpen()
        {
            var transport = new RecordingTransport();
            var utterance = Make(transport, UtteranceMode.HandsFree);
            utterance.Open(0);
            utterance.Push(Frame(1));
            Assert.IsTrue(utterance.OnError("SPEECH_RATE_LIMITED", "too many answers this minute", "utterance-open"));
            Assert.AreEqual(UtteranceState.Failed, utterance.State);
            Assert.AreEqual("SPEECH_RATE_LIMITED", utterance.Reason);
            utterance.OnOpened("unity-test-1");
            Assert.AreEqual(UtteranceState.Failed, utterance.State, "a late opened does not revive it");
            Assert.AreEqual(new[] { "utterance-open" }, transport.Sent.ToArray());
        }

        [Test]
        public void KeepsStreamingThroughAnErrorAboutOtherMessages()
        {
            var transport = new RecordingTransport();
            var utterance = Make(transport, UtteranceMode.HandsFree);
            utterance.Open(0);
            utterance.OnOpened("unity-test-1");
            Assert.IsFalse(utterance.OnError("STEP_MISMATCH", "the conversation moved on", "answer"));
            Assert.AreEqual(UtteranceState.Streaming, utterance.State);
            Assert.IsTrue(utterance.OnError("UTTERANCE_TOO_LONG", "answers are limited to 30 s", "audio"));
            Assert.AreEqual(UtteranceState.Failed, utterance.State);
        }

        [Test]
        public void TimesOutOnTheCallersClockWhenNeverOpened()
        {
            var utterance = Make(new RecordingTransport(), UtteranceMode.HandsFree);
            utterance.Open(1000);
            utterance.Tick(1000 + Utterance.OpenTimeoutMs);
            Assert.AreEqual(UtteranceState.Opening, utterance.State);
            utterance.Tick(1001 + Utterance.OpenTimeoutMs);
            Assert.AreEqual(UtteranceState.Failed, utterance.State);
            Assert.AreEqual(ErrorCodes.UtteranceOpenTimeout, utterance.Reason);
        }

        [Test]
        public void FailsWhenTheConnectionDrops()
        {
            var utterance = Make(new RecordingTransport(), UtteranceMode.PushToTalk);
            utterance.Open(0);
            utterance.OnOpened("unity-test-1");
            utterance.OnConnectionLost();
            Assert.AreEqual(UtteranceState.Failed, utterance.State);
            Assert.AreEqual(ErrorCodes.ConnectionLost, utterance.Reason);
        }

        [Test]
        public void BoundsTheFramesHeldWhileOpening()
        {
            var transport = new RecordingTransport();
            var utterance = Make(transport, UtteranceMode.HandsFree);
            utterance.Open(0);
            for (int index = 0; index < Utterance.MaxHeldFrames + 5; index++) utterance.Push(Frame(1));
            Assert.AreEqual(5, utterance.FramesDropped);
            utterance.OnOpened("unity-test-1");
            Assert.AreEqual(Utterance.MaxHeldFrames, transport.Frames.Count);
        }

        [Test]
        public void MakesAttemptIdsTheServerAccepts()
        {
            string first = AttemptIds.New();
            Assert.IsTrue(AttemptIds.IsValid(first), first);
            Assert.AreNotEqual(first, AttemptIds.New());
            Assert.IsFalse(AttemptIds.IsValid("has space"));
            Assert.IsFalse(AttemptIds.IsValid(new string('a', 65)));
            Assert.Throws<System.ArgumentException>(() => new Utterance(new RecordingTransport(), "bad id!", 0, UtteranceMode.HandsFree));
        }
    }
}
