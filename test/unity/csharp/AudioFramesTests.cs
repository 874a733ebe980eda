using System;
using Koto.Live.Core;
using NUnit.Framework;

namespace Koto.Live.Tests
{
    [TestFixture]
    public class AudioFramesTests
    {
        [Test]
        public void WritesSequenceThenSamplesLittleEndian()
        {
            byte[] frame = AudioFrames.Encode(258, new short[] { 1, -2, 32767, -32768 });
            Assert.AreEqual(new byte[] { 2, 1, 0, 0, 1, 0, 0xfe, 0xff, 0xff, 0x7f, 0x00, 0x80 }, frame);
        }

        [Test]
        public void ReadsBackWhatItWrote()
        {
            var samples = new short[AudioFrames.FrameSamples];
            for (int index = 0; index < samples.Length; index++) samples[index] = (short)(index * 97 - 15000);
            byte[] frame = AudioFrames.Encode(uint.MaxValue, samples);
            Assert.AreEqual(4 + 640, frame.Length);
            Assert.AreEqual(uint.MaxValue, AudioFrames.ReadSequence(frame));
            Assert.AreEqual(samples, AudioFrames.ReadSamples(frame));
        }

        [Test]
        public void EncodesASliceOfABuffer()
        {
            byte[] frame = AudioFrames.Encode(0, new short[] { 9, 8, 7, 6 }, 1, 2);
            Assert.AreEqual(new byte[] { 0, 0, 0, 0, 8, 0, 7, 0 }, frame);
        }

        [Test]
        public void RefusesFramesTooShortOrOdd()
        {
            Assert.Throws<ArgumentException>(() => AudioFrames.ReadSequence(new byte[] { 1, 2 }));
            Assert.Throws<ArgumentException>(() => AudioFrames.ReadSamples(new byte[] { 0, 0, 0, 0, 1 }));
            Assert.Throws<ArgumentOutOfRangeException>(() => AudioFrames.Encode(0, new short[2], 1, 2));
        }
    }

    [TestFixture]
    public class Pcm16Tests
    {
        [Test]
        public void ClampsToThePcm16Range()
        {
            Assert.AreEqual(32767, Pcm16.FromFloat(2f));
            Assert.AreEqual(32767, Pcm16.FromFloat(1f));
            Assert.AreEqual(0, Pcm16.FromFloat(0f));
            Assert.AreEqual(-32768, Pcm16.FromFloat(-1f));
            Assert.AreEqual(-32768, Pcm16.FromFloat(-3f));
        }

        [Test]
        public void RoundsHalvesUpLikeTheWebClient()
        {
            // -0.5 LSB rounds to 0 and -1.5 to -1 (JavaScript's Math.round), not to even as Math.Round would.
            Assert.AreEqual(0, Pcm16.FromFloat(-1f / 65536));
            Assert.AreEqual(-1, Pcm16.FromFloat(-3f / 65536));
            Assert.AreEqual(-2, Pcm16.FromFloat(-5f / 65536));
        }

        [Test]
        public void TurnsNaNIntoSilence()
        {
            Assert.AreEqual(0, Pcm16.FromFloat(float.NaN));
        }

        [Test]
        public void ConvertsBackToFloats()
        {
            Assert.AreEqual(0.5f, Pcm16.ToFloat(16384));
            Assert.AreEqual(-1f, Pcm16.ToFloat(-32768));
        }
    }
}
