using System;
using System.Collections.Generic;
using Koto.Live.Core;
using NUnit.Framework;

namespace Koto.Live.Tests
{
    [TestFixture]
    public class ResamplerTests
    {
        /// <summary>Feeds blocks the size Unity's microphone reads tend to be (a 60 fps frame at 48 kHz is 800 samples).</summary>
        private static float[] Resample(float[] input, int from, int to, int block)
        {
            var resampler = new StreamResampler(from, to);
            var output = new List<float>();
            for (int offset = 0; offset < input.Length; offset += block)
            {
                output.AddRange(resampler.Process(input, offset, Math.Min(block, input.Length - offset)));
            }
            return output.ToArray();
        }

        [Test]
        public void KeepsA1kHzToneFrom48kHzAtItsFrequencyLevelAndLength()
        {
            float[] input = Signal.Sine(1000, 48000, 1.0, 0.5);
            float[] output = Resample(input, 48000, 16000, 800);
            Assert.That(Math.Abs(output.Length - 16000), Is.LessThanOrEqualTo(16), "length " + output.Length);
            double frequency = Signal.Frequency(output, 16000, 200, output.Length - 200);
            Assert.That(Math.Abs(frequency - 1000), Is.LessThan(0.5), "frequency " + frequency);
            double level = Signal.Rms(output, 200, output.Length - 200);
            Assert.That(Math.Abs(level - 0.5 / Math.Sqrt(2)), Is.LessThan(0.005), "rms " + level);
        }

        [TestCase(44100)]
        [TestCase(32000)]
        [TestCase(22050)]
        [TestCase(24000)]
        public void KeepsToneLevelFromOtherDeviceRates(int rate)
        {
            float[] output = Resample(Signal.Sine(440, rate, 1.0, 0.5), rate, 16000, 1024);
            Assert.That(Math.Abs(output.Length - 16000), Is.LessThanOrEqualTo(16), "length " + output.Length);
            Assert.That(Math.Abs(Signal.Rms(output, 200, output.Length - 200) - 0.5 / Math.Sqrt(2)), Is.LessThan(0.01));
            Assert.That(Math.Abs(Signal.Frequency(output, 16000, 200, output.Length - 200) - 440), Is.LessThan(0.5));
        }

        [Test]
        public void RemovesTonesAbove8kHzInsteadOfFoldingThemIntoSpeech()
        {
            // A 12 kHz tone at 48 kHz would alias to 4 kHz if it were merely decimated.
            float[] output = Resample(Signal.Sine(12000, 48000, 0.5, 0.5), 48000, 16000, 480);
            Assert.That(Signal.Rms(output, 100, output.Length), Is.LessThan(0.01));
        }

        [Test]
        public void BlockSizeDoesNotChangeTheResult()
        {
            float[] input = Signal.Sine(700, 48000, 0.3, 0.4);
            float[] whole = Resample(input, 48000, 16000, input.Length);
            float[] pieces = Resample(input, 48000, 16000, 37);
            Assert.AreEqual(whole.Length, pieces.Length);
            for (int index = 0; index < whole.Length; index++) Assert.That(Math.Abs(whole[index] - pieces[index]), Is.LessThan(1e-6), "sample " + index);
        }

        [Test]
        public void Passes16kHzThroughUnchanged()
        {
            float[] input = Signal.Sine(300, 16000, 0.1, 0.3);
            Assert.AreEqual(input, new StreamResampler(16000, 16000).Process(input));
        }

        [Test]
        public void CutsResampledAudioInto20msFramesCarryingTheRemainder()
        {
            var framer = new CaptureFramer(48000);
            Assert.AreEqual(0, framer.Push(new float[900]).Count);
            List<short[]> frames = framer.Push(new float[2100]);
            // 3000 input samples at 48 kHz are 1000 at 16 kHz, less the filter's look-ahead: 3 whole frames.
            Assert.AreEqual(3, frames.Count);
            foreach (var frame in frames) Assert.AreEqual(AudioFrames.FrameSamples, frame.Length);
        }

        [Test]
        public void HandsTheSameFramesToACallbackAsInAList()
        {
            float[] input = Signal.Sine(440, 48000, 0.3, 0.5);
            var listed = new List<short[]>();
            var framer = new CaptureFramer(48000);
            for (int offset = 0; offset < input.Length; offset += 777) listed.AddRange(framer.Push(input, offset, Math.Min(777, input.Length - offset)));
            var handed = new List<short[]>();
            var reused = new HashSet<short[]>();
            var streaming = new CaptureFramer(48000);
            for (int offset = 0; offset < input.Length; offset += 777)
            {
                streaming.Push(input, offset, Math.Min(777, input.Length - offset), frame =>
                {
                    reused.Add(frame);
                    handed.Add((short[])frame.Clone());
                });
            }
            Assert.AreEqual(listed.Count, handed.Count);
            for (int index = 0; index < listed.Count; index++) Assert.AreEqual(listed[index], handed[index], "frame " + index);
            Assert.AreEqual(1, reused.Count, "one array for every frame");
        }

        [Test]
        public void ResamplesIntoTheCallersArray()
        {
            float[] input = Signal.Sine(440, 48000, 0.1, 0.5);
            float[] expected = new StreamResampler(48000, 16000).Process(input);
            var resampler = new StreamResampler(48000, 16000);
            float[] output = null;
            int produced = resampler.Process(input, 0, input.Length, ref output);
            float[] kept = output;
            Assert.AreEqual(expected.Length, produced);
            for (int index = 0; index < produced; index++) Assert.AreEqual(expected[index], output[index], "sample " + index);
            resampler.Process(input, 0, 100, ref output);
            Assert.AreSame(kept, output, "a large enough array is kept");
        }

        [Test]
        public void MetersLevelOnADecibelScale()
        {
            Assert.AreEqual(0f, AudioLevel.Meter(new float[100], 0, 100));
            float[] loud = Signal.Sine(440, 16000, 0.1, 1.0);
            Assert.That(AudioLevel.Meter(loud, 0, loud.Length), Is.GreaterThan(0.9f));
        }
    }
}
