using System;
using System.IO;
using Koto.Live.Core;
using NUnit.Framework;

namespace Koto.Live.Tests
{
    [Serializable]
    public class FrameVector
    {
        public string name;
        public long sequence;
        public double[] floats;
        public int[] pcm16;
        public string hex;
    }

    [Serializable]
    public class FrameVectorFile
    {
        public FrameVector[] vectors;
    }

    /// <summary>The vectors the web client's and the server's frame code are held to as well (test/fixtures/audio-frame-vectors.json).</summary>
    [TestFixture]
    public class FrameVectorsTests
    {
        [Test]
        public void TheSameSamplesGiveTheSameBytesAsEverywhereElse()
        {
            var file = new DataContractJson().Read<FrameVectorFile>(File.ReadAllText(Fixtures.PathFrom("KOTO_FRAME_VECTORS")));
            Assert.That(file.vectors.Length, Is.GreaterThanOrEqualTo(5));
            foreach (var vector in file.vectors)
            {
                // Unity hands the SDK floats: each vector value is exactly representable as one.
                var samples = new short[vector.floats.Length];
                for (int index = 0; index < samples.Length; index++) samples[index] = Pcm16.FromFloat((float)vector.floats[index]);
                for (int index = 0; index < samples.Length; index++) Assert.AreEqual(vector.pcm16[index], samples[index], vector.name + " sample " + index);
                byte[] frame = AudioFrames.Encode((uint)vector.sequence, samples);
                Assert.AreEqual(vector.hex, Fixtures.Hex(frame), vector.name);
            }
        }
    }
}
