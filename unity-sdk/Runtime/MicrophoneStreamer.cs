using System;
using Koto.Live.Core;
using UnityEngine;

namespace Koto.Live
{
    /// <summary>
    /// Captures the microphone and feeds 20 ms, 16 kHz PCM16 frames to a <see cref="LessonSession"/>'s
    /// utterance. Standalone/mobile/editor: a looping one-second <c>Microphone.Start</c> clip read by
    /// position every frame (<see cref="LoopingClipReader"/>, wrap-around included). WebGL, which has no
    /// <c>Microphone</c> class: the KotoMicrophone .jslib (getUserMedia + AudioWorklet) pushes blocks
    /// into <see cref="WebGLMicrophone"/>. Both paths end in the same <see cref="CaptureFramer"/>, and
    /// neither allocates per frame once capturing: the buffers below are kept and reused.
    /// </summary>
    [AddComponentMenu("KOTO Live/Microphone Streamer")]
    public class MicrophoneStreamer : MonoBehaviour
    {
        [Tooltip("Microphone device name; empty for the default device.")]
        public string deviceName = "";

        [Tooltip("Rate asked of the device; we resample to 16 kHz ourselves.")]
        public int preferredSampleRate = 48000;

        private LessonSession session;
        private CaptureFramer framer;
        private Action<short[]> frameSink;
        private MicrophoneState state = MicrophoneState.Off;

        /// <summary>0..1 level of the latest block, for a meter.</summary>
        public float Level { get; private set; }

        /// <summary>Asked for, capturing, or waiting for the page's first gesture: the streamer owns the microphone.</summary>
        public bool IsCapturing { get { return state == MicrophoneState.Starting || state == MicrophoneState.Capturing || state == MicrophoneState.WaitingForGesture; } }

        public MicrophoneState State { get { return state; } }

        /// <summary>Every change of <see cref="State"/>.</summary>
        public event Action<MicrophoneState> StateChanged;

        /// <summary>
        /// The microphone cannot be used, and the spoken answer was released: <c>MICROPHONE_DENIED</c> (refused
        /// by the player, the browser or the device's settings), <c>MICROPHONE_UNSUPPORTED</c> (WebGL: no https, an
        /// old browser), <c>MICROPHONE_UNAVAILABLE</c> (no device, or it could not be started). Show <see cref="KotoError.Sentence"/>.
        /// </summary>
        public event Action<KotoError> Failed;

        /// <summary>
        /// WebGL: capture waits for the player's first click, tap or key press on the page
        /// (<c>MICROPHONE_NEEDS_GESTURE</c>); show <see cref="KotoError.Sentence"/>. Not a failure: capture starts by
        /// itself after the gesture (<see cref="StateChanged"/> to Capturing).
        /// </summary>
        public event Action<KotoError> NeedsGesture;

        /// <summary>
        /// Starts a spoken answer in <paramref name="lessonSession"/> and streams into it until the utterance
        /// ends. While one is under way the session reports <c>UTTERANCE_ALREADY_OPEN</c> on its Error event and
        /// this returns the utterance under way. On WebGL the browser's audio is unlocked by the player's first
        /// click or tap on the page (armed in Awake); until then <see cref="NeedsGesture"/> says so.
        /// </summary>
        public Utterance Speak(LessonSession lessonSession, UtteranceMode mode)
        {
            if (lessonSession == null) throw new ArgumentNullException("lessonSession");
            bool alreadySpeaking = lessonSession == session && IsCapturing;
            session = lessonSession;
            Utterance utterance = session.BeginSpeaking(mode);
            // A microphone that cannot start releases the answer itself (Report), here or later on WebGL.
            if (!alreadySpeaking) StartCapture();
            return utterance;
        }

        /// <summary>Push-to-talk release: the server scores what it has.</summary>
        public void Release()
        {
            if (session != null) session.ReleaseSpeaking();
            StopCapture();
        }

        private void Awake()
        {
            // On WebGL the audio context must be unlocked by a gesture before the first answer.
            WebGLMicrophone.Prepare();
        }

        private void Update()
        {
            if (session != null) session.Tick();
            if (!IsCapturing) return;
            var utterance = session != null ? session.CurrentUtterance : null;
            if (utterance == null || utterance.IsFinished)
            {
                StopCapture();
                return;
            }
#if !(UNITY_WEBGL && !UNITY_EDITOR)
            ReadClip();
#endif
        }

        private void OnDisable()
        {
            StopCapture();
        }

        private void PushFrame(short[] frame)
        {
            if (session != null) session.PushFrame(frame);
        }

        private void Deliver(float[] block, int count)
        {
            // One delegate for the component's life: a method group converted at each call would allocate.
            if (frameSink == null) frameSink = PushFrame;
            framer.Push(block, 0, count, frameSink);
            Level = framer.LastLevel;
        }

        /// <summary>Moves to <paramref name="next"/>; a failure or a wait for a gesture is told every time it happens, even twice in a row.</summary>
        private void Report(MicrophoneState next, string detail = null)
        {
            if (state != next)
            {
                state = next;
                var changed = StateChanged;
                if (changed != null) changed(next);
            }
            KotoError error = MicrophoneStates.ErrorFor(next, detail);
            if (error == null) return;
            if (MicrophoneStates.IsFailure(next))
            {
                if (session != null && session.CurrentUtterance != null && !session.CurrentUtterance.IsFinished) session.ReleaseSpeaking();
                var failed = Failed;
                if (failed != null) failed(error);
            }
            else
            {
                var waiting = NeedsGesture;
                if (waiting != null) waiting(error);
            }
        }

#if UNITY_WEBGL && !UNITY_EDITOR
        private void StartCapture()
        {
            if (IsCapturing) return;
            WebGLMicrophone.SamplesArrived += OnWebGLSamples;
            WebGLMicrophone.StatusChanged += OnWebGLStatus;
            framer = null;
            // The browser answers later (it may ask the player first): the plugin's status says how it went.
            Report(MicrophoneState.Starting);
            WebGLMicrophone.Start();
        }

        private void StopCapture()
        {
            if (!IsCapturing) return;
            Detach();
            Report(MicrophoneState.Off);
        }

        private void Detach()
        {
            WebGLMicrophone.SamplesArrived -= OnWebGLSamples;
            WebGLMicrophone.StatusChanged -= OnWebGLStatus;
            WebGLMicrophone.Stop();
        }

        private void OnWebGLSamples(float[] block, int sampleRate)
        {
            if (framer == null || framer.DeviceSampleRate != sampleRate) framer = new CaptureFramer(sampleRate);
            Deliver(block, block.Length);
        }

        private void OnWebGLStatus(int status)
        {
            MicrophoneState next = MicrophoneStates.FromWebGLStatus(status);
            if (next == MicrophoneState.Off) return;
            if (MicrophoneStates.IsFailure(next)) Detach();
            Report(next);
        }
#else
        private const int ClipSeconds = 1;
        private AudioClip clip;
        private LoopingClipReader reader;
        private readonly ClipSpan[] spans = new ClipSpan[2];
        // GetData reads as many samples as the array holds: one array per piece length (a chunk, the clip's tail).
        private float[] chunkBuffer;
        private float[] tailBuffer;
        private float[] monoBuffer;
        private double lastReadAt;

        private string Device { get { return string.IsNullOrEmpty(deviceName) ? null : deviceName; } }

        private void StartCapture()
        {
            if (IsCapturing) return;
            if (Microphone.devices.Length == 0)
            {
                Report(MicrophoneState.Unavailable, "No microphone was found. Connect one, or type your answers.");
                return;
            }
            int minimum, maximum;
            Microphone.GetDeviceCaps(Device, out minimum, out maximum);
            // (0, 0) means the device takes any rate.
            int rate = minimum == 0 && maximum == 0 ? preferredSampleRate : Mathf.Clamp(preferredSampleRate, minimum, maximum);
            clip = Microphone.Start(Device, true, ClipSeconds, rate);
            if (clip == null)
            {
                Report(MicrophoneState.Unavailable, "The microphone could not be started (is another app using it, or was permission refused?).");
                return;
            }
            if (framer == null || framer.DeviceSampleRate != clip.frequency) framer = new CaptureFramer(clip.frequency);
            // Positions and offsets count sample frames; GetData returns them interleaved when channels > 1.
            // Pieces of 10 ms: small next to a game frame's worth, so little waits for the next read.
            reader = new LoopingClipReader(clip.samples, Math.Max(1, Math.Min(clip.samples, clip.frequency / 100)));
            reader.Reset(Microphone.GetPosition(Device));
            AllocateBuffers(Math.Max(1, clip.channels));
            lastReadAt = Time.realtimeSinceStartupAsDouble;
            Report(MicrophoneState.Capturing);
        }

        private void StopCapture()
        {
            if (!IsCapturing) return;
            Microphone.End(Device);
            clip = null;
            Report(MicrophoneState.Off);
        }

        /// <summary>Sized once per capture; a later answer with the same device keeps them.</summary>
        private void AllocateBuffers(int channels)
        {
            int chunk = reader.ChunkSamples;
            if (chunkBuffer == null || chunkBuffer.Length != chunk * channels) chunkBuffer = new float[chunk * channels];
            int tail = reader.TailSamples;
            if (tail == 0) tailBuffer = null;
            else if (tailBuffer == null || tailBuffer.Length != tail * channels) tailBuffer = new float[tail * channels];
            if (monoBuffer == null || monoBuffer.Length != chunk) monoBuffer = new float[chunk];
        }

        private void ReadClip()
        {
            double now = Time.realtimeSinceStartupAsDouble;
            long samplesByClock = (long)((now - lastReadAt) * clip.frequency);
            lastReadAt = now;
            int count = reader.Advance(Microphone.GetPosition(Device), samplesByClock, spans);
            if (reader.Lapped) Debug.LogWarning("[KOTO] the game stalled for longer than the microphone buffer; some audio was lost");
            int channels = Math.Max(1, clip.channels);
            for (int index = 0; index < count; index++)
            {
                int end = spans[index].Start + spans[index].Count;
                for (int start = spans[index].Start; start < end; )
                {
                    int length = reader.PieceLength(start, end);
                    float[] piece = length == reader.ChunkSamples ? chunkBuffer : tailBuffer;
                    clip.GetData(piece, start);
                    if (channels == 1) Deliver(piece, length);
                    else Deliver(FirstChannel(piece, length, channels, monoBuffer), length);
                    start += length;
                }
            }
        }

        private static float[] FirstChannel(float[] interleaved, int frames, int channels, float[] mono)
        {
            for (int index = 0; index < frames; index++) mono[index] = interleaved[index * channels];
            return mono;
        }
#endif
    }
}
