using System;
using System.Collections.Generic;

namespace Koto.Live.Core
{
    /// <summary>
    /// Microphone floats at the device rate in, 20 ms PCM16 frames at 16 kHz out: resampling,
    /// conversion and cutting into <see cref="AudioFrames.FrameSamples"/>-sample frames, carrying
    /// the remainder over to the next block. The frames carry no sequence yet; the utterance numbers them.
    /// </summary>
    public sealed class CaptureFramer
    {
        private readonly StreamResampler resampler;
        // Reused for every block and every frame: the capture loop runs each game frame and must not feed the GC.
        private readonly short[] pending = new short[AudioFrames.FrameSamples];
        private int pendingLength;
        private float[] resampled = new float[0];

        public CaptureFramer(int deviceSampleRate)
        {
            resampler = new StreamResampler(deviceSampleRate, AudioFrames.PipelineSampleRate);
        }

        public int DeviceSampleRate { get { return resampler.InputRate; } }

        /// <summary>Level of the last block pushed, 0..1 on a -60..0 dBFS scale, for a meter.</summary>
        public float LastLevel { get; private set; }

        /// <summary>
        /// Hands each whole frame to <paramref name="onFrame"/> in one array that is reused for the next
        /// frame: valid during the call only (<see cref="Utterance.Push"/> copies what it must keep).
        /// Allocates nothing once warm. Returns the number of frames.
        /// </summary>
        public int Push(float[] samples, int offset, int count, Action<short[]> onFrame)
        {
            if (onFrame == null) throw new ArgumentNullException("onFrame");
            LastLevel = AudioLevel.Meter(samples, offset, count);
            int produced = resampler.Process(samples, offset, count, ref resampled);
            int frames = 0;
            for (int index = 0; index < produced; index++)
            {
                pending[pendingLength++] = Pcm16.FromFloat(resampled[index]);
                if (pendingLength == pending.Length)
                {
                    onFrame(pending);
                    frames++;
                    pendingLength = 0;
                }
            }
            return frames;
        }

        /// <summary>Each whole frame as an array of its own (tests, tools); the capture loop uses the callback form.</summary>
        public List<short[]> Push(float[] samples, int offset, int count)
        {
            var frames = new List<short[]>();
            Push(samples, offset, count, frame => frames.Add((short[])frame.Clone()));
            return frames;
        }

        public List<short[]> Push(float[] samples)
        {
            return Push(samples, 0, samples.Length);
        }
    }

    public static class AudioLevel
    {
        /// <summary>Root-mean-square level mapped from -60..0 dBFS onto 0..1 (speech sits around 0.3–0.8).</summary>
        public static float Meter(float[] samples, int offset, int count)
        {
            if (count <= 0) return 0f;
            double energy = 0;
            for (int index = offset; index < offset + count; index++) energy += samples[index] * samples[index];
            double rms = System.Math.Sqrt(energy / count);
            if (rms <= 0) return 0f;
            double decibels = 20 * System.Math.Log10(rms);
            return (float)System.Math.Min(1.0, System.Math.Max(0.0, (decibels + 60) / 60));
        }
    }
}
