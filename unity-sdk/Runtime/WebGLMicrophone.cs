using System;
using System.Runtime.InteropServices;
using AOT;
using Koto.Live.Core;

namespace Koto.Live
{
    /// <summary>
    /// C# side of Plugins/WebGL/KotoMicrophone.jslib: the browser captures with getUserMedia and an
    /// AudioWorklet at the AudioContext's rate and hands float blocks to C# through the wasm heap.
    /// Outside WebGL builds every call is a no-op (the standalone path uses Unity's Microphone).
    /// </summary>
    public static class WebGLMicrophone
    {
        // The plugin's statuses; MicrophoneStates.FromWebGLStatus says what each means.
        public const int StatusStarted = MicrophoneStates.WebGLStarted;
        public const int StatusWaitingForGesture = MicrophoneStates.WebGLWaitingForGesture;
        public const int StatusDenied = MicrophoneStates.WebGLDenied;
        public const int StatusUnsupported = MicrophoneStates.WebGLUnsupported;
        public const int StatusStopped = MicrophoneStates.WebGLStopped;

        // One array for every block (the worklet always sends the same size): about 47 blocks a second must not feed the GC.
        private static float[] block = new float[0];

        private delegate void SamplesCallback(IntPtr samples, int count, int sampleRate);
        private delegate void StatusCallback(int status);

        /// <summary>A block of float samples in [-1, 1] and the rate they were captured at. The array is reused for the next block: read or copy it during the call.</summary>
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
            if (block.Length != count) block = new float[count];
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
