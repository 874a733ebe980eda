using System;
using System.Collections.Generic;

namespace Koto.Live.Core
{
    public enum UtteranceState
    {
        /// <summary>Nothing asked yet.</summary>
        Idle,
        /// <summary><c>utterance-open</c> sent; captured frames are held until <c>utterance-opened</c>.</summary>
        Opening,
        /// <summary>The server opened the attempt; frames go out as they are captured.</summary>
        Streaming,
        /// <summary>Finished normally: released, or the server ended it (<c>utterance-ended</c>). No more frames.</summary>
        Ended,
        /// <summary>Refused or cut off (error, timeout, connection lost). No more frames.</summary>
        Failed,
    }

    public enum UtteranceMode
    {
        /// <summary>The server ends the utterance after trailing silence.</summary>
        HandsFree,
        /// <summary>The learner holds a button; releasing it sends <c>utterance-close</c>.</summary>
        PushToTalk,
    }

    /// <summary>What an utterance needs from the room: the Colyseus room in Unity, a recorder in tests.</summary>
    public interface IUtteranceTransport
    {
        void SendOpen(UtteranceOpenRequest request);
        void SendAudio(byte[] frame);
        void SendClose();
    }

    /// <summary>The <c>utterance-open</c> payload (docs/protocol.md).</summary>
    [Serializable]
    public class UtteranceOpenRequest
    {
        public string codec = "pcm16";
        public int sampleRate = AudioFrames.PipelineSampleRate;
        public int step;
        public string attemptId;
        public string mode;
    }

    /// <summary>
    /// One spoken answer: idle → opening → streaming → ended | failed. Frames captured while the
    /// server has not yet opened the attempt are held (so the first syllable is not lost) and sent,
    /// numbered from 0, once <c>utterance-opened</c> arrives. Time comes from the caller's clock
    /// (<see cref="Tick"/>), never from timers, so it runs the same in a coroutine, on WebGL and in tests.
    /// </summary>
    public sealed class Utterance
    {
        /// <summary>About 3 s of 20 ms frames: plenty for the server's answer to arrive.</summary>
        public const int MaxHeldFrames = 150;

        /// <summary>How long to wait for <c>utterance-opened</c> before giving up.</summary>
        public const double OpenTimeoutMs = 10000;

        private readonly IUtteranceTransport transport;
        private readonly List<short[]> held = new List<short[]>();
        private uint sequence;
        private bool released;
        private double openedAtMs = -1;

        public Utterance(IUtteranceTransport transport, string attemptId, int step, UtteranceMode mode)
        {
            if (transport == null) throw new ArgumentNullException("transport");
            if (!AttemptIds.IsValid(attemptId)) throw new ArgumentException("attempt ids are 1–64 letters, digits, _ or -", "attemptId");
            this.transport = transport;
            AttemptId = attemptId;
            Step = step;
            Mode = mode;
            State = UtteranceState.Idle;
        }

        public string AttemptId { get; private set; }
        public int Step { get; private set; }
        public UtteranceMode Mode { get; private set; }
        public UtteranceState State { get; private set; }
        public int FramesSent { get; private set; }

        /// <summary>Frames dropped because the server took too long to open the attempt.</summary>
        public int FramesDropped { get; private set; }

        /// <summary>Why it ended (<c>silence</c>, <c>released</c>, …) or the error code it failed with.</summary>
        public string Reason { get; private set; }

        /// <summary>A sentence for the learner when it failed.</summary>
        public string FailureMessage { get; private set; }

        public bool IsFinished { get { return State == UtteranceState.Ended || State == UtteranceState.Failed; } }

        /// <summary>
        /// Why a new spoken answer cannot start while <paramref name="current"/> is under way (a second press,
        /// a hands-free answer still open), or null when it can. The server would refuse it the same way.
        /// </summary>
        public static KotoError RefusalToStart(Utterance current)
        {
            if (current == null || current.IsFinished) return null;
            return new KotoError(ErrorCodes.UtteranceAlreadyOpen, "already speaking (" + current.AttemptId + "): release it or wait for its end first");
        }

        /// <summary>Raised on every state change.</summary>
        public event Action<Utterance> StateChanged;

        /// <summary>Sends <c>utterance-open</c>. <paramref name="nowMs"/> is the caller's clock, used for the open timeout.</summary>
        public void Open(double nowMs)
        {
            if (State != UtteranceState.Idle) throw new InvalidOperationException("an utterance opens once");
            openedAtMs = nowMs;
            SetState(UtteranceState.Opening, null);
            transport.SendOpen(new UtteranceOpenRequest
            {
                codec = "pcm16",
                sampleRate = AudioFrames.PipelineSampleRate,
                step = Step,
                attemptId = AttemptId,
                mode = Mode == UtteranceMode.PushToTalk ? "push-to-talk" : "hands-free",
            });
        }

        /// <summary>The server's <c>utterance-opened</c>: send what was held; close at once if already released.</summary>
        public void OnOpened(string attemptId)
        {
            if (attemptId != AttemptId || State != UtteranceState.Opening) return;
            SetState(UtteranceState.Streaming, null);
            foreach (var frame in held) SendFrame(frame);
            held.Clear();
            if (released) Close();
        }

        /// <summary>A 20 ms frame of 16 kHz PCM16 from the capture chain; the caller may reuse the array once this returns.</summary>
        public void Push(short[] samples)
        {
            if (samples == null) throw new ArgumentNullException("samples");
            if (released || IsFinished || State == UtteranceState.Idle) return;
            if (State == UtteranceState.Opening)
            {
                // A copy: the capture chain fills one array for every frame, and these wait for utterance-opened.
                if (held.Count < MaxHeldFrames) held.Add((short[])samples.Clone());
                else FramesDropped++;
                return;
            }
            SendFrame(samples);
        }

        /// <summary>Push-to-talk release (or "stop" in hands-free): the server evaluates what it has.</summary>
        public void Release()
        {
            if (released || IsFinished) return;
            released = true;
            if (State == UtteranceState.Streaming) Close();
            else if (State == UtteranceState.Idle) SetState(UtteranceState.Ended, "released");
        }

        /// <summary>The server's <c>utterance-ended { attemptId, reason }</c>: stop sending.</summary>
        public void OnEnded(string attemptId, string reason)
        {
            if (attemptId != AttemptId || IsFinished) return;
            held.Clear();
            SetState(UtteranceState.Ended, string.IsNullOrEmpty(reason) ? "ended" : reason);
        }

        /// <summary>
        /// The server's <c>error { code, message, type }</c>. Only errors caused by this utterance's
        /// messages (<c>utterance-open</c>, <c>audio</c>, <c>utterance-close</c>) fail it; an audio error
        /// after the attempt is open (a late frame, a rate warning) is reported but does not stop the turn
        /// unless its code means the utterance is gone.
        /// </summary>
        public bool OnError(string code, string message, string type)
        {
            if (IsFinished) return false;
            bool fatal = type == MessageTypes.UtteranceOpen
                || (State == UtteranceState.Opening && (type == MessageTypes.Audio || type == MessageTypes.UtteranceClose))
                || ErrorCodes.EndsUtterance(code);
            if (!fatal) return false;
            Fail(code, message);
            return true;
        }

        /// <summary>The connection dropped: the server ends the utterance as <c>disconnected</c> and keeps what it got.</summary>
        public void OnConnectionLost()
        {
            if (IsFinished) return;
            Fail(ErrorCodes.ConnectionLost, "The connection dropped while you were speaking; what arrived was kept.");
        }

        /// <summary>Drives the open timeout from the caller's clock.</summary>
        public void Tick(double nowMs)
        {
            if (State == UtteranceState.Opening && openedAtMs >= 0 && nowMs - openedAtMs > OpenTimeoutMs)
            {
                Fail(ErrorCodes.UtteranceOpenTimeout, "The server did not start listening in time; please try again.");
            }
        }

        private void Fail(string code, string message)
        {
            held.Clear();
            FailureMessage = message;
            SetState(UtteranceState.Failed, code);
        }

        private void Close()
        {
            transport.SendClose();
            SetState(UtteranceState.Ended, "released");
        }

        private void SendFrame(short[] samples)
        {
            transport.SendAudio(AudioFrames.Encode(sequence++, samples));
            FramesSent++;
        }

        private void SetState(UtteranceState state, string reason)
        {
            State = state;
            if (reason != null) Reason = reason;
            var handler = StateChanged;
            if (handler != null) handler(this);
        }
    }

    /// <summary>Attempt ids the server accepts: 1–64 of letters, digits, _ and -.</summary>
    public static class AttemptIds
    {
        public static string New()
        {
            // Guid.NewGuid is available on every Unity platform, WebGL included.
            return "unity-" + Guid.NewGuid().ToString("N");
        }

        public static bool IsValid(string id)
        {
            if (string.IsNullOrEmpty(id) || id.Length > 64) return false;
            foreach (char character in id)
            {
                bool allowed = (character >= 'a' && character <= 'z') || (character >= 'A' && character <= 'Z')
                    || (character >= '0' && character <= '9') || character == '_' || character == '-';
                if (!allowed) return false;
            }
            return true;
        }
    }
}
