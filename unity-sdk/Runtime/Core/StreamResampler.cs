using System;

namespace Koto.Live.Core
{
    /// <summary>
    /// Streaming sample-rate conversion from the device rate (44.1/48 kHz on most hardware) to the
    /// 16 kHz the server's pipeline works at. Windowed-sinc interpolation with its cut-off below the
    /// output's Nyquist frequency, so the 8–24 kHz band is removed instead of folding back into the
    /// speech band as aliasing. We resample on the device rather than sending the native rate the
    /// server also accepts: 48 kHz PCM16 is 96 KB/s, three times the upload, close to the server's
    /// per-connection limit (MAX_AUDIO_BYTES_PER_SECOND), and relayed as is to listening tutors.
    /// Hand-written because Unity has no resampler API for microphone data and the cost is small
    /// (24 multiply-adds per output sample at 48 kHz).
    /// </summary>
    public sealed class StreamResampler
    {
        /// <summary>Half the kernel width in input samples when not downsampling.</summary>
        private const int BaseHalfWidth = 12;

        /// <summary>Fractional positions the kernel is tabulated at; 1/128 sample is far below audible error.</summary>
        private const int Phases = 128;

        private readonly double step;
        private readonly int halfWidth;
        private readonly float[][] kernels;
        private float[] history = new float[0];
        private int historyLength;

        /// <summary>Position of the next output sample, in input samples from the start of history.</summary>
        private double position;

        public StreamResampler(int inputRate, int outputRate)
        {
            if (inputRate <= 0 || outputRate <= 0) throw new ArgumentOutOfRangeException("inputRate", "sample rates must be positive");
            InputRate = inputRate;
            OutputRate = outputRate;
            step = (double)inputRate / outputRate;
            double cutoff = 0.45 * Math.Min(1.0, (double)outputRate / inputRate);
            halfWidth = (int)Math.Ceiling(BaseHalfWidth * Math.Max(1.0, step));
            kernels = new float[Phases + 1][];
            for (int phase = 0; phase <= Phases; phase++) kernels[phase] = Kernel((double)phase / Phases, halfWidth, cutoff);
        }

        public int InputRate { get; private set; }
        public int OutputRate { get; private set; }

        public float[] Process(float[] input)
        {
            return Process(input, 0, input.Length);
        }

        public float[] Process(float[] input, int offset, int count)
        {
            float[] output = null;
            int produced = Process(input, offset, count, ref output);
            if (produced != output.Length) Array.Resize(ref output, produced);
            return output;
        }

        /// <summary>
        /// As <see cref="Process(float[], int, int)"/>, writing into <paramref name="output"/>, which is replaced
        /// by a larger array only when too small: a capture loop that keeps it allocates nothing once warm.
        /// Returns how many samples were written.
        /// </summary>
        public int Process(float[] input, int offset, int count, ref float[] output)
        {
            if (input == null) throw new ArgumentNullException("input");
            if (InputRate == OutputRate)
            {
                if (output == null || output.Length < count) output = new float[count];
                Array.Copy(input, offset, output, 0, count);
                return count;
            }
            Append(input, offset, count);

            int capacity = (int)Math.Ceiling(Math.Max(0.0, historyLength - halfWidth - position) / step) + 1;
            if (output == null || output.Length < capacity) output = new float[capacity];
            int produced = 0;
            int taps = 2 * halfWidth;
            while (position + halfWidth < historyLength)
            {
                int whole = (int)Math.Floor(position);
                float[] weights = kernels[(int)Math.Round((position - whole) * Phases)];
                int first = whole - halfWidth + 1;
                double sum = 0;
                // Taps before the start of the stream read as silence.
                for (int tap = first < 0 ? -first : 0; tap < taps; tap++) sum += history[first + tap] * weights[tap];
                output[produced++] = (float)sum;
                position += step;
            }
            Discard(Math.Max(0, (int)Math.Floor(position) - halfWidth));
            return produced;
        }

        private void Append(float[] input, int offset, int count)
        {
            if (historyLength + count > history.Length) Array.Resize(ref history, Math.Max(history.Length * 2, historyLength + count));
            Array.Copy(input, offset, history, historyLength, count);
            historyLength += count;
        }

        private void Discard(int samples)
        {
            if (samples <= 0) return;
            Array.Copy(history, samples, history, 0, historyLength - samples);
            historyLength -= samples;
            position -= samples;
        }

        /// <summary>A Hann-windowed sinc for an output sample <paramref name="fraction"/> past tap halfWidth - 1, normalised to unity gain.</summary>
        private static float[] Kernel(double fraction, int halfWidth, double cutoff)
        {
            var weights = new float[2 * halfWidth];
            double total = 0;
            var raw = new double[weights.Length];
            for (int tap = 0; tap < weights.Length; tap++)
            {
                double distance = tap - halfWidth + 1 - fraction;
                double window = 0.5 + 0.5 * Math.Cos(Math.PI * distance / (halfWidth + 1));
                double argument = 2 * cutoff * distance;
                double sinc = argument == 0 ? 1 : Math.Sin(Math.PI * argument) / (Math.PI * argument);
                raw[tap] = window * sinc;
                total += raw[tap];
            }
            for (int tap = 0; tap < weights.Length; tap++) weights[tap] = (float)(raw[tap] / total);
            return weights;
        }
    }
}
