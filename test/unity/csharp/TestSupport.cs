using System;
using System.IO;
using System.Runtime.Serialization.Json;
using System.Text;
using Koto.Live.Core;

namespace Koto.Live.Tests
{
    /// <summary>
    /// Reads JSON the way Unity's JsonUtility does for [Serializable] classes (public fields by name,
    /// unknown keys ignored): .NET's DataContractJsonSerializer, available in Mono.
    /// </summary>
    public sealed class DataContractJson : IJsonReader
    {
        public T Read<T>(string json)
        {
            var serializer = new DataContractJsonSerializer(typeof(T));
            using (var stream = new MemoryStream(Encoding.UTF8.GetBytes(json)))
            {
                return (T)serializer.ReadObject(stream);
            }
        }
    }

    public static class Fixtures
    {
        /// <summary>A path the mocha runner passes in the environment; a missing one is a setup error, not a skip.</summary>
        public static string PathFrom(string variable)
        {
            string path = Environment.GetEnvironmentVariable(variable);
            if (string.IsNullOrEmpty(path)) throw new InvalidOperationException(variable + " is not set: run these tests through `npm test` (test/unity)");
            return path;
        }

        public static string Hex(byte[] bytes)
        {
            var text = new StringBuilder(bytes.Length * 2);
            foreach (byte value in bytes) text.Append(value.ToString("x2"));
            return text.ToString();
        }
    }

    public static class Signal
    {
        public static float[] Sine(double frequency, int rate, double seconds, double amplitude)
        {
            var samples = new float[(int)Math.Round(rate * seconds)];
            for (int index = 0; index < samples.Length; index++) samples[index] = (float)(amplitude * Math.Sin(2 * Math.PI * frequency * index / rate));
            return samples;
        }

        public static double Rms(float[] samples, int from, int to)
        {
            double energy = 0;
            for (int index = from; index < to; index++) energy += samples[index] * (double)samples[index];
            return Math.Sqrt(energy / (to - from));
        }

        /// <summary>Frequency from the spacing of upward zero crossings (interpolated), over a steady stretch.</summary>
        public static double Frequency(float[] samples, int rate, int from, int to)
        {
            double first = -1, last = -1;
            int crossings = 0;
            for (int index = from + 1; index < to; index++)
            {
                if (samples[index - 1] < 0 && samples[index] >= 0)
                {
                    double at = index - 1 + samples[index - 1] / (double)(samples[index - 1] - samples[index]);
                    if (first < 0) first = at;
                    else crossings++;
                    last = at;
                }
            }
            return crossings * rate / (last - first);
        }
    }
}
