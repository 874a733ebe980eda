using System.Collections.Generic;
using Koto.Live.Core;
using NUnit.Framework;

namespace Koto.Live.Tests
{
    [TestFixture]
    public class LoopingClipReaderTests
    {
        /// <summary>A looping microphone clip as Unity keeps it: a fixed buffer the device writes round and round.</summary>
        private sealed class FakeMicrophoneClip
        {
            public readonly float[] Buffer;
            public int Position;
            private int next;

            public FakeMicrophoneClip(int samples)
            {
                Buffer = new float[samples];
            }

            /// <summary>Writes the next <paramref name="count"/> values of the ramp 1, 2, 3, … (as floats).</summary>
            public void Record(int count)
            {
                for (int index = 0; index < count; index++)
                {
                    Buffer[Position] = ++next;
                    Position = (Position + 1) % Buffer.Length;
                }
            }

            public void GetData(float[] into, int offset)
            {
                for (int index = 0; index < into.Length; index++) into[index] = Buffer[(offset + index) % Buffer.Length];
            }
        }

        private static List<float> ReadAvailable(LoopingClipReader reader, FakeMicrophoneClip clip)
        {
            var spans = new ClipSpan[2];
            int count = reader.Advance(clip.Position, spans);
            var samples = new List<float>();
            for (int index = 0; index < count; index++)
            {
                var part = new float[spans[index].Count];
                clip.GetData(part, spans[index].Start);
                samples.AddRange(part);
            }
            return samples;
        }

        [Test]
        public void ReturnsOneSpanBeforeTheEndAndTwoAcrossIt()
        {
            var reader = new LoopingClipReader(1000);
            var spans = new ClipSpan[2];
            Assert.AreEqual(1, reader.Advance(600, spans));
            Assert.AreEqual(0, spans[0].Start);
            Assert.AreEqual(600, spans[0].Count);
            Assert.AreEqual(2, reader.Advance(250, spans));
            Assert.AreEqual(600, spans[0].Start);
            Assert.AreEqual(400, spans[0].Count);
            Assert.AreEqual(0, spans[1].Start);
            Assert.AreEqual(250, spans[1].Count);
            Assert.AreEqual(1250, reader.SamplesRead);
        }

        [Test]
        public void ReturnsNothingWhenThePositionHasNotMoved()
        {
            var reader = new LoopingClipReader(1000);
            var spans = new ClipSpan[2];
            reader.Reset(300);
            Assert.AreEqual(0, reader.Advance(300, spans));
        }

        [Test]
        public void ReadsExactlyTheRecordedStreamAcrossManyWraps()
        {
            var clip = new FakeMicrophoneClip(4800);
            var reader = new LoopingClipReader(clip.Buffer.Length);
            var read = new List<float>();
            // Irregular game frames (hitches included) reading a 1/10 s clip at 48 kHz.
            int[] steps = { 800, 801, 799, 3000, 1, 0, 4799, 1200, 4000, 2222 };
            int recorded = 0;
            for (int round = 0; round < 20; round++)
            {
                foreach (int step in steps)
                {
                    clip.Record(step);
                    recorded += step;
                    read.AddRange(ReadAvailable(reader, clip));
                }
            }
            Assert.AreEqual(recorded, read.Count);
            for (int index = 0; index < read.Count; index++)
            {
                if (read[index] != index + 1) Assert.Fail("sample " + index + " is " + read[index]);
            }
        }

        [Test]
        public void StartsAtTheWritersPositionAfterReset()
        {
            var clip = new FakeMicrophoneClip(1000);
            clip.Record(700);
            var reader = new LoopingClipReader(1000);
            reader.Reset(clip.Position);
            clip.Record(500);
            List<float> read = ReadAvailable(reader, clip);
            Assert.AreEqual(500, read.Count);
            Assert.AreEqual(701f, read[0]);
            Assert.AreEqual(1200f, read[499]);
        }

        [Test]
        public void NoticesALostLapFromTheCallersClock()
        {
            var reader = new LoopingClipReader(1000);
            var spans = new ClipSpan[2];
            reader.Advance(100, 110, spans);
            Assert.IsFalse(reader.Lapped, "small clock drift is not a lap");
            // 1.2 clips of time passed but the position moved only 0.2 of a clip.
            reader.Advance(300, 1200, spans);
            Assert.IsTrue(reader.Lapped);
        }
    }
}
