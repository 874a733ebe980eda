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

        /// <summary>Reads what is available as MicrophoneStreamer does: piece by piece into one kept array per piece length.</summary>
        private static int ReadPieces(LoopingClipReader reader, FakeMicrophoneClip clip, ClipSpan[] spans, Dictionary<int, float[]> buffers, System.Action<float[]> onPiece)
        {
            int count = reader.Advance(clip.Position, spans);
            int pieces = 0;
            for (int index = 0; index < count; index++)
            {
                int end = spans[index].Start + spans[index].Count;
                for (int start = spans[index].Start; start < end; pieces++)
                {
                    int length = reader.PieceLength(start, end);
                    float[] piece;
                    if (!buffers.TryGetValue(length, out piece)) Assert.Fail("a piece of " + length + " samples, neither a chunk nor the tail");
                    clip.GetData(piece, start);
                    onPiece(piece);
                    start += length;
                }
            }
            return pieces;
        }

        [Test]
        public void ReadsInWholeChunksAndTheClipsOneTailAcrossManyWraps()
        {
            // 700-sample chunks do not divide a 4800-sample clip: its last piece is 600.
            var clip = new FakeMicrophoneClip(4800);
            var reader = new LoopingClipReader(clip.Buffer.Length, 700);
            Assert.AreEqual(600, reader.TailSamples);
            var buffers = new Dictionary<int, float[]> { { 700, new float[700] }, { 600, new float[600] } };
            var spans = new ClipSpan[2];
            var read = new List<float>();
            int[] steps = { 800, 801, 799, 3000, 1, 0, 4000, 1200, 4100, 2222 };
            int recorded = 0;
            for (int round = 0; round < 20; round++)
            {
                foreach (int step in steps)
                {
                    clip.Record(step);
                    recorded += step;
                    ReadPieces(reader, clip, spans, buffers, read.AddRange);
                    Assert.That(recorded - read.Count, Is.InRange(0, 699), "less than a chunk waits for the next read");
                }
            }
            for (int index = 0; index < read.Count; index++)
            {
                if (read[index] != index + 1) Assert.Fail("sample " + index + " is " + read[index]);
            }
        }

        [Test]
        public void StartsAtTheChunkTheWriterIsInAfterReset()
        {
            var clip = new FakeMicrophoneClip(1000);
            clip.Record(730);
            var reader = new LoopingClipReader(1000, 100);
            reader.Reset(clip.Position);
            clip.Record(100);
            var spans = new ClipSpan[2];
            Assert.AreEqual(1, reader.Advance(clip.Position, spans));
            Assert.AreEqual(700, spans[0].Start);
            Assert.AreEqual(100, spans[0].Count);
        }

        [Test]
        public void RefusesAChunkLargerThanTheClip()
        {
            Assert.Throws<System.ArgumentOutOfRangeException>(() => new LoopingClipReader(1000, 1001));
            Assert.Throws<System.ArgumentOutOfRangeException>(() => new LoopingClipReader(1000, 0));
        }

        [Test]
        public void ReadsAndFramesTheMicrophoneWithoutAllocatingOnceWarm()
        {
            // MicrophoneStreamer's loop each game frame: clip → pieces in kept arrays → framer → a kept frame.
            var clip = new FakeMicrophoneClip(44100);
            var reader = new LoopingClipReader(clip.Buffer.Length, 441);
            var buffers = new Dictionary<int, float[]> { { 441, new float[441] } };
            var spans = new ClipSpan[2];
            var framer = new CaptureFramer(44100);
            int frames = 0;
            System.Action<short[]> sink = frame => frames++;
            System.Action<float[]> deliver = piece => framer.Push(piece, 0, piece.Length, sink);
            int[] steps = { 735, 736, 734, 1470, 700, 800 };
            for (int round = 0; round < 10; round++)
            {
                foreach (int step in steps)
                {
                    clip.Record(step);
                    ReadPieces(reader, clip, spans, buffers, deliver);
                }
            }
            int warm = frames;
            long before = System.GC.GetAllocatedBytesForCurrentThread();
            for (int round = 0; round < 50; round++)
            {
                foreach (int step in steps)
                {
                    clip.Record(step);
                    ReadPieces(reader, clip, spans, buffers, deliver);
                }
            }
            long allocated = System.GC.GetAllocatedBytesForCurrentThread() - before;
            // 50 × 5165 samples at 44.1 kHz: 5.9 s of audio, 292 whole 20 ms frames.
            Assert.That(frames - warm, Is.InRange(290, 294), "it framed the audio meanwhile");
            Assert.AreEqual(0, allocated, "bytes allocated by 300 game frames of capture");
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
