using System;
using System.Collections.Generic;
using Koto.Live.Core;
using UnityEngine;

namespace Koto.Live
{
    /// <summary>
    /// Captures the microphone and feeds 20 ms, 16 kHz PCM16 frames to a <see cref="LessonSession"/>'s
    /// utterance. Standalone/mobile/editor: a looping one-second <c>Microphone.Start</c> clip read by
    /// position every frame (<see cref="LoopingClipReader"/>, wrap-around included). WebGL, which has no
    /// <c>Microphone</c> class: the KotoMicrophone .jslib (getUserMedia + AudioWorklet) pushes blocks
    /// into <see cref="WebGLMicrophone"/>. Both paths end in the same <see cref="CaptureFramer"/>.
    /// </summary>
    [AddComponentMenu("KOTO Live/Microphone Streamer")]
    public class MicrophoneStreamer : MonoBehaviour
    {
        [Tooltip("Microphone device name; empty for the default device.")]
        public string deviceName = "";

        [Tooltip("Rate asked of the device; we resample to 16 kHz ourselves.")]
        public int preferredSampleRate = 48000;

        private const int ClipSeconds = 1;
        private LessonSession session;
        private CaptureFramer framer;
        private LoopingClipReader reader;
        private AudioClip clip;
        private readonly ClipSpan[] spans = new ClipSpan[2];
        private double lastReadAt;
        private bool capturing;

        /// <summary>0..1 level of the latest block, for a meter.</summary>
        public float Level { get; private set; }

        public bool IsCapturing { get { return capturing; } }

        /// <summary>Raised when the microphone cannot be used (no device, permission refused), with a sentence to show.</summary>
        public event Action<KotoError> Failed;

        /// <summary>
        /// Starts a spoken answer in <paramref name="lessonSession"/> and streams into it until the utterance
        /// ends. On WebGL the browser's audio is unlocked by the player's first click or tap on the page
        /// (armed in Awake); before that nothing can be captured and the status reports it.
        /// </summary>
        public Utterance Speak(LessonSession lessonSession, UtteranceMode mode)
        {
            session = lessonSession;
            Utterance utterance = session.BeginSpeaking(mode);
            if (!StartCapture())
            {
                session.ReleaseSpeaking();
            }
            return utterance;
        }

        /// <summary>Push-to-talk release: the server scores what it has.</summary>
        public void Release()
        {
            if (session != null) session.ReleaseSpeaking();
            StopCapture();
        }

        private bool StartCapture()
        {
            if (capturing) return true;
#if UNITY_WEBGL && !UNITY_EDITOR
            WebGLMicrophone.SamplesArrived += OnWebGLSamples;
            WebGLMicrophone.StatusChanged += OnWebGLStatus;
            WebGLMicrophone.Start();
            framer = null;
            capturing = true;
            return true;
#else
            if (Microphone.devices.Length == 0)
            {
                Fail("No microphone was found. Connect one, or type your answers.");
                return false;
            }
            string device = string.IsNullOrEmpty(deviceName) ? null : deviceName;
            int minimum, maximum;
            Microphone.GetDeviceCaps(device, out minimum, out maximum);
            // (0, 0) means the device takes any rate.
            int rate = minimum == 0 && maximum == 0 ? preferredSampleRate : Mathf.Clamp(preferredSampleRate, minimum, maximum);
            clip = Microphone.Start(device, true, ClipSeconds, rate);
            if (clip == null)
            {
                Fail("The microphone could not be started (is another app using it, or was permission refused?).");
                return false;
            }
            framer = new CaptureFramer(clip.frequency);
            // Positions and offsets count sample frames; GetData returns them interleaved when channels > 1.
            reader = new LoopingClipReader(clip.samples);
            reader.Reset(Microphone.GetPosition(device));
            lastReadAt = Time.realtimeSinceStartupAsDouble;
            capturing = true;
            return true;
#endif
        }

        private void StopCapture()
        {
            if (!capturing) return;
            capturing = false;
#if UNITY_WEBGL && !UNITY_EDITOR
            WebGLMicrophone.SamplesArrived -= OnWebGLSamples;
            WebGLMicrophone.StatusChanged -= OnWebGLStatus;
            WebGLMicrophone.Stop();
#else
            Microphone.End(string.IsNullOrEmpty(deviceName) ? null : deviceName);
            clip = null;
#endif
        }

        private void Awake()
        {
            // On WebGL the audio context must be unlocked by a gesture before the first answer.
            WebGLMicrophone.Prepare();
        }

        private void Update()
        {
            if (session != null) session.Tick();
            if (!capturing) return;
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

        private void ReadClip()
        {
            string device = string.IsNullOrEmpty(deviceName) ? null : deviceName;
            double now = Time.realtimeSinceStartupAsDouble;
            long samplesByClock = (long)((now - lastReadAt) * clip.frequency);
            lastReadAt = now;
            int count = reader.Advance(Microphone.GetPosition(device), samplesByClock, spans);
            if (reader.Lapped) Debug.LogWarning("[KOTO] the game stalled for longer than the microphone buffer; some audio was lost");
            int channels = Math.Max(1, clip.channels);
            for (int index = 0; index < count; index++)
            {
                var block = new float[spans[index].Count * channels];
                clip.GetData(block, spans[index].Start);
                Deliver(channels == 1 ? block : FirstChannel(block, channels));
            }
        }

        private static float[] FirstChannel(float[] interleaved, int channels)
        {
            var mono = new float[interleaved.Length / channels];
            for (int index = 0; index < mono.Length; index++) mono[index] = interleaved[index * channels];
            return mono;
        }

        private void OnWebGLSamples(float[] block, int sampleRate)
        {
            if (framer == null || framer.DeviceSampleRate != sampleRate) framer = new CaptureFramer(sampleRate);
            Deliver(block);
        }

        private void OnWebGLStatus(int status)
        {
            if (status == WebGLMicrophone.StatusDenied) Fail("The browser did not allow the microphone. Allow it in the address bar, or type your answers.");
            else if (status == WebGLMicrophone.StatusUnsupported) Fail("This browser cannot record audio here (a secure https page is needed). You can type your answers.");
        }

        private void Deliver(float[] block)
        {
            List<short[]> frames = framer.Push(block, 0, block.Length);
            Level = framer.LastLevel;
            foreach (var frame in frames) session.PushFrame(frame);
        }

        private void Fail(string sentence)
        {
            StopCapture();
            if (session != null && session.CurrentUtterance != null && !session.CurrentUtterance.IsFinished) session.ReleaseSpeaking();
            var handler = Failed;
            if (handler != null) handler(new KotoError(ErrorCodes.MicrophoneUnavailable, sentence));
        }

        private void OnDisable()
        {
            StopCapture();
        }
    }
}
