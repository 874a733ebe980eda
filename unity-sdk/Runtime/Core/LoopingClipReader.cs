using System;

namespace Koto.Live.Core
{
    /// <summary>A run of samples in a looping clip: <see cref="Count"/> samples from <see cref="Start"/>.</summary>
    public struct ClipSpan
    {
        public int Start;
        public int Count;

        public ClipSpan(int start, int count)
        {
            Start = start;
            Count = count;
        }
    }

    /// <summary>
    /// Reads a looping recording buffer (Unity's <c>Microphone.Start(device, loop: true, 1, rate)</c>
    /// clip) by its write position: each call returns the samples written since the last call,
    /// as one span, or two when the writer has wrapped past the end of the clip.
    /// The write position alone cannot show a whole lap: a reader that falls more than a clip
    /// behind (a frame hitch longer than the clip) loses that audio, which is why the clip should
    /// be long compared with a frame (1 s against 16 ms) and <see cref="Lapped"/> reports it.
    /// With a chunk size, positions move on a grid of whole chunks (what is left of a chunk waits for
    /// the next call), so every piece of a span (<see cref="PieceLength"/>) is a whole chunk or the
    /// clip's one shorter tail: Unity 2022.3's <c>AudioClip.GetData(float[], offset)</c> reads as many
    /// samples as its array holds, and two arrays, kept, then read any span without allocating.
    /// </summary>
    public sealed class LoopingClipReader
    {
        private readonly int clipSamples;
        private readonly int chunkSamples;
        private int readPosition;

        public LoopingClipReader(int clipSamples, int chunkSamples = 1)
        {
            if (clipSamples <= 0) throw new ArgumentOutOfRangeException("clipSamples", "a clip holds at least one sample");
            if (chunkSamples <= 0 || chunkSamples > clipSamples) throw new ArgumentOutOfRangeException("chunkSamples", "0 < chunkSamples <= clipSamples");
            this.clipSamples = clipSamples;
            this.chunkSamples = chunkSamples;
        }

        public int ClipSamples { get { return clipSamples; } }

        public int ChunkSamples { get { return chunkSamples; } }

        /// <summary>The last piece before the clip's end when the clip is not a whole number of chunks, else 0.</summary>
        public int TailSamples { get { return clipSamples % chunkSamples; } }

        /// <summary>Samples returned so far, across laps.</summary>
        public long SamplesRead { get; private set; }

        /// <summary>True when the last call saw more time pass than the clip holds: audio was lost.</summary>
        public bool Lapped { get; private set; }

        /// <summary>Starts reading at the writer's current position (the chunk it is in), skipping what is already in the clip.</summary>
        public void Reset(int writePosition)
        {
            readPosition = OnGrid(Wrap(writePosition));
            Lapped = false;
        }

        /// <summary>The spans written since the last call, oldest first. Returns how many spans were filled (0, 1 or 2).</summary>
        public int Advance(int writePosition, ClipSpan[] spans)
        {
            return Advance(writePosition, -1, spans);
        }

        /// <summary>
        /// As <see cref="Advance(int, ClipSpan[])"/>, with the samples the caller's clock says were
        /// recorded since the last call (elapsed seconds × rate), to notice a lost lap.
        /// </summary>
        public int Advance(int writePosition, long samplesByClock, ClipSpan[] spans)
        {
            if (spans == null || spans.Length < 2) throw new ArgumentException("pass room for two spans", "spans");
            int write = OnGrid(Wrap(writePosition));
            int available = write >= readPosition ? write - readPosition : clipSamples - readPosition + write;
            // Allow a quarter clip of slack: the device clock and the game clock are not in step.
            Lapped = samplesByClock >= 0 && samplesByClock - available > clipSamples * 3L / 4;
            int count = 0;
            if (write > readPosition)
            {
                spans[count++] = new ClipSpan(readPosition, write - readPosition);
            }
            else if (write < readPosition)
            {
                spans[count++] = new ClipSpan(readPosition, clipSamples - readPosition);
                if (write > 0) spans[count++] = new ClipSpan(0, write);
            }
            readPosition = write;
            SamplesRead += available;
            return count;
        }

        /// <summary>The length of the piece of a span that starts at <paramref name="start"/> and ends at <paramref name="end"/>: a whole chunk, or the clip's tail.</summary>
        public int PieceLength(int start, int end)
        {
            return Math.Min(chunkSamples, end - start);
        }

        private int Wrap(int position)
        {
            int wrapped = position % clipSamples;
            return wrapped < 0 ? wrapped + clipSamples : wrapped;
        }

        /// <summary>The start of the chunk <paramref name="position"/> is in; past the last whole chunk that is the tail's start.</summary>
        private int OnGrid(int position)
        {
            return position - position % chunkSamples;
        }
    }
}
