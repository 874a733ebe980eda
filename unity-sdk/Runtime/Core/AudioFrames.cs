using System;

namespace Koto.Live.Core
{
    /// <summary>
    /// The audio wire format of the lesson room (docs/protocol.md, bytes message "audio"):
    /// <c>[uint32 LE sequence][PCM16 LE mono samples]</c>, sequence from 0 for each utterance.
    /// Written byte by byte so the result does not depend on the machine's endianness.
    /// </summary>
    public static class AudioFrames
    {
        /// <summary>The rate the server's speech pipeline works at; we resample to it before sending.</summary>
        public const int PipelineSampleRate = 16000;

        /// <summary>20 ms at 16 kHz: the frame size the server's endpointing works in (640 payload bytes).</summary>
        public const int FrameSamples = 320;

        public const int HeaderBytes = 4;

        public static byte[] Encode(uint sequence, short[] samples)
        {
            if (samples == null) throw new ArgumentNullException("samples");
            return Encode(sequence, samples, 0, samples.Length);
        }

        public static byte[] Encode(uint sequence, short[] samples, int offset, int count)
        {
            if (samples == null) throw new ArgumentNullException("samples");
            if (offset < 0 || count < 0 || offset + count > samples.Length) throw new ArgumentOutOfRangeException("count");
            var frame = new byte[HeaderBytes + count * 2];
            frame[0] = (byte)sequence;
            frame[1] = (byte)(sequence >> 8);
            frame[2] = (byte)(sequence >> 16);
            frame[3] = (byte)(sequence >> 24);
            for (int index = 0; index < count; index++)
            {
                short sample = samples[offset + index];
                frame[HeaderBytes + index * 2] = (byte)sample;
                frame[HeaderBytes + index * 2 + 1] = (byte)(sample >> 8);
            }
            return frame;
        }

        public static uint ReadSequence(byte[] frame)
        {
            if (frame == null || frame.Length < HeaderBytes) throw new ArgumentException("an audio frame holds at least its 4-byte sequence", "frame");
            return (uint)(frame[0] | frame[1] << 8 | frame[2] << 16 | frame[3] << 24);
        }

        public static short[] ReadSamples(byte[] frame)
        {
            if (frame == null || frame.Length < HeaderBytes) throw new ArgumentException("an audio frame holds at least its 4-byte sequence", "frame");
            if ((frame.Length - HeaderBytes) % 2 != 0) throw new ArgumentException("PCM16 payloads have an even number of bytes", "frame");
            var samples = new short[(frame.Length - HeaderBytes) / 2];
            for (int index = 0; index < samples.Length; index++)
            {
                samples[index] = (short)(frame[HeaderBytes + index * 2] | frame[HeaderBytes + index * 2 + 1] << 8);
            }
            return samples;
        }
    }
}
