using System;

namespace Koto.Live.Core
{
    /// <summary>
    /// Float samples in [-1, 1] (Unity's AudioClip data, Web Audio) to signed 16-bit and back.
    /// The rounding is the web client's (<c>Math.round</c>: halves go up), so the same floats give
    /// the same bytes from Unity and from a browser (test/fixtures/audio-frame-vectors.json).
    /// </summary>
    public static class Pcm16
    {
        public static short FromFloat(float sample)
        {
            // NaN from a broken driver becomes silence rather than a full-scale click.
            if (float.IsNaN(sample)) return 0;
            double clamped = sample > 1f ? 1.0 : sample < -1f ? -1.0 : sample;
            // Negative full scale is -32768, positive is 32767: the asymmetric PCM16 range.
            double scaled = clamped < 0 ? clamped * 32768.0 : clamped * 32767.0;
            return (short)Math.Floor(scaled + 0.5);
        }

        public static short[] FromFloats(float[] samples, int offset, int count)
        {
            var output = new short[count];
            for (int index = 0; index < count; index++) output[index] = FromFloat(samples[offset + index]);
            return output;
        }

        public static float ToFloat(short sample)
        {
            return sample / 32768f;
        }
    }
}
