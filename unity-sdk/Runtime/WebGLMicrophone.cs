using System;
using System.Runtime.InteropServices;
using AOT;

namespace Koto.Live
{
    /// <summary>
    /// C# side of Plugins/WebGL/KotoMicrophone.jslib: the browser captures with getUserMedia and an
    /// AudioWorklet at the AudioContext's rate and hands float blocks to C# through the wasm heap.
    /// Outside WebGL builds every call is a no-op (the standalone path uses Unity's Microphone).
    /// </summary>
    public static class WebGLMicrophone
    {
        public const int StatusStarted = 1;
        public const int StatusWaitingForGesture = 2;
        public const int StatusDenied = 3;
        public const int StatusUnsupported = 4;
        public const int StatusStopped = 5;

        private delegate void SamplesCallback(IntPtr samples, int count, int sampleRate);
        private delegate void StatusCallback(int status);

        /// <summary>A block of float samples in [-1, 1] and the rate they were captured at.</summary>
        public static event Action<float[], int> SamplesArrived;
        public static event Action<int> StatusChanged;

#if UNITY_WEBGL && !UNITY_EDITOR
        [DllImport("__Internal")]
        private static extern void KotoMic_Start(SamplesCallback onSamples, StatusCallback onStatus);

        [DllImport("__Internal")]
        private static extern void KotoMic_Stop();

        [DllImport("__Internal")]
        private static extern void KotoMic_Prepare();

        /// <summary>
        /// Creates the page's audio context early and arms the unlock on the player's first click, tap or
        /// key press (Unity handles input a frame late, outside the browser's gesture). Call it on a screen
        /// before the first answer, e.g. sign-in; MicrophoneStreamer does in Awake.
        /// </summary>
        public static void Prepare()
        {
            KotoMic_Prepare();
        }

        public static void Start()
        {
            KotoMic_Start(OnSamples, OnStatus);
        }

        public static void Stop()
        {
            KotoMic_Stop();
        }
#else
        public static void Prepare()
        {
        }

        public static void Start()
        {
        }

        public static void Stop()
        {
        }
#endif

        [MonoPInvokeCallback(typeof(SamplesCallback))]
        private static void OnSamples(IntPtr samples, int count, int sampleRate)
        {
            var block = new float[count];
            Marshal.Copy(samples, block, 0, count);
            var handler = SamplesArrived;
            if (handler != null) handler(block, sampleRate);
        }

        [MonoPInvokeCallback(typeof(StatusCallback))]
        private static void OnStatus(int status)
        {
            var handler = StatusChanged;
            if (handler != null) handler(status);
        }
    }
}
