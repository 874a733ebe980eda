namespace Koto.Live.Core
{
    /// <summary>The microphone as a player meets it.</summary>
    public enum MicrophoneState
    {
        Off,
        /// <summary>WebGL: asked the browser for the microphone (it may be asking the player); its answer follows.</summary>
        Starting,
        Capturing,
        /// <summary>WebGL: the browser keeps audio off until the player clicks, taps or presses a key on the page; capture then starts by itself.</summary>
        WaitingForGesture,
        /// <summary>The player (or the browser's or the device's settings) refused the microphone.</summary>
        Denied,
        /// <summary>WebGL: this browser or page cannot record (no getUserMedia or AudioWorklet, or not https).</summary>
        Unsupported,
        /// <summary>No device, or it could not be started (another app holds it).</summary>
        Unavailable,
    }

    /// <summary>
    /// What each microphone state means for the player: its error code and sentence, and whether capture
    /// stopped. The statuses of Plugins/WebGL/KotoMicrophone.jslib are numbered here, in one place.
    /// </summary>
    public static class MicrophoneStates
    {
        // KotoMicrophone.jslib's status codes (KotoMic_Start's callback).
        public const int WebGLStarted = 1;
        public const int WebGLWaitingForGesture = 2;
        public const int WebGLDenied = 3;
        public const int WebGLUnsupported = 4;
        public const int WebGLStopped = 5;

        public static MicrophoneState FromWebGLStatus(int status)
        {
            switch (status)
            {
                case WebGLStarted: return MicrophoneState.Capturing;
                case WebGLWaitingForGesture: return MicrophoneState.WaitingForGesture;
                case WebGLDenied: return MicrophoneState.Denied;
                case WebGLUnsupported: return MicrophoneState.Unsupported;
                default: return MicrophoneState.Off;
            }
        }

        /// <summary>Capture cannot go on: the utterance is released and the player may type instead.</summary>
        public static bool IsFailure(MicrophoneState state)
        {
            return state == MicrophoneState.Denied || state == MicrophoneState.Unsupported || state == MicrophoneState.Unavailable;
        }

        /// <summary>The error to show for <paramref name="state"/>, or null when there is nothing to tell.</summary>
        public static KotoError ErrorFor(MicrophoneState state, string detail = null)
        {
            string code = CodeOf(state);
            if (code == null) return null;
            return new KotoError(code, string.IsNullOrEmpty(detail) ? ProtocolErrors.SentenceFor(code, code) : detail);
        }

        private static string CodeOf(MicrophoneState state)
        {
            switch (state)
            {
                case MicrophoneState.WaitingForGesture: return ErrorCodes.MicrophoneNeedsGesture;
                case MicrophoneState.Denied: return ErrorCodes.MicrophoneDenied;
                case MicrophoneState.Unsupported: return ErrorCodes.MicrophoneUnsupported;
                case MicrophoneState.Unavailable: return ErrorCodes.MicrophoneUnavailable;
                default: return null;
            }
        }
    }
}
