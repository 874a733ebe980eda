// A console program built from Koto.Live.Core alone: it plays a WAV file through the same chain a
// Unity client runs on microphone data (device-rate floats in blocks of one game frame → resample →
// PCM16 → 20 ms frames → utterance state machine) and prints, as JSON, the `utterance-open` payload
// and every audio frame the client would send. test/unity/unity-end-to-end.test.ts streams them
// into a real lesson room.
// Usage: mono WavToFrames.exe <file.wav> <step> <hands-free|push-to-talk> <trailing silence ms>
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Koto.Live.Core;

public static class WavToFrames
{
    private sealed class CollectingTransport : IUtteranceTransport
    {
        public UtteranceOpenRequest Open;
        public readonly List<byte[]> Frames = new List<byte[]>();
        public bool Closed;

        public void SendOpen(UtteranceOpenRequest request) { Open = request; }
        public void SendAudio(byte[] frame) { Frames.Add(frame); }
        public void SendClose() { Closed = true; }
    }

    public static int Main(string[] args)
    {
        if (args.Length != 4)
        {
            Console.Error.WriteLine("usage: WavToFrames.exe <file.wav> <step> <hands-free|push-to-talk> <trailing silence ms>");
            return 2;
        }
        int rate;
        float[] samples = ReadWav(File.ReadAllBytes(args[0]), out rate);
        int step = int.Parse(args[1]);
        var mode = args[2] == "push-to-talk" ? UtteranceMode.PushToTalk : UtteranceMode.HandsFree;
        int silence = (int)((long)int.Parse(args[3]) * rate / 1000);

        var transport = new CollectingTransport();
        var utterance = new Utterance(transport, AttemptIds.New(), step, mode);
        var framer = new CaptureFramer(rate);
        var recorded = new float[samples.Length + silence];
        Array.Copy(samples, recorded, samples.Length);

        utterance.Open(0);
        // One game frame at 60 fps per read, as MicrophoneStreamer reads the looping clip.
        int block = rate / 60;
        int blocks = 0;
        for (int offset = 0; offset < recorded.Length; offset += block, blocks++)
        {
            // The server's utterance-opened arrives a few frames in: the first blocks are held, then flushed.
            if (blocks == 5) utterance.OnOpened(utterance.AttemptId);
            // The capture loop's own path: one reused frame array, which the utterance copies while it holds frames.
            framer.Push(recorded, offset, Math.Min(block, recorded.Length - offset), utterance.Push);
        }
        if (mode == UtteranceMode.PushToTalk) utterance.Release();

        var json = new StringBuilder();
        json.Append("{\"open\":{\"codec\":\"").Append(transport.Open.codec)
            .Append("\",\"sampleRate\":").Append(transport.Open.sampleRate)
            .Append(",\"step\":").Append(transport.Open.step)
            .Append(",\"attemptId\":\"").Append(transport.Open.attemptId)
            .Append("\",\"mode\":\"").Append(transport.Open.mode).Append("\"},");
        json.Append("\"deviceSampleRate\":").Append(rate).Append(",\"closed\":").Append(transport.Closed ? "true" : "false");
        json.Append(",\"state\":\"").Append(utterance.State).Append("\",\"frames\":[");
        for (int index = 0; index < transport.Frames.Count; index++)
        {
            if (index > 0) json.Append(',');
            json.Append('"').Append(Convert.ToBase64String(transport.Frames[index])).Append('"');
        }
        json.Append("]}");
        Console.Out.Write(json.ToString());
        return 0;
    }

    /// <summary>16-bit PCM WAV (first channel) to floats.</summary>
    private static float[] ReadWav(byte[] bytes, out int rate)
    {
        if (bytes.Length < 12 || Encoding.ASCII.GetString(bytes, 0, 4) != "RIFF" || Encoding.ASCII.GetString(bytes, 8, 4) != "WAVE")
            throw new InvalidDataException("not a RIFF/WAVE file");
        rate = 0;
        int channels = 0, bits = 0;
        for (int offset = 12; offset + 8 <= bytes.Length;)
        {
            string id = Encoding.ASCII.GetString(bytes, offset, 4);
            int size = BitConverter.ToInt32(bytes, offset + 4);
            if (id == "fmt ")
            {
                channels = BitConverter.ToInt16(bytes, offset + 10);
                rate = BitConverter.ToInt32(bytes, offset + 12);
                bits = BitConverter.ToInt16(bytes, offset + 22);
            }
            else if (id == "data")
            {
                if (bits != 16 || channels < 1) throw new InvalidDataException("only 16-bit PCM WAV is read");
                int count = Math.Min(size, bytes.Length - offset - 8) / (2 * channels);
                var samples = new float[count];
                for (int index = 0; index < count; index++) samples[index] = Pcm16.ToFloat(BitConverter.ToInt16(bytes, offset + 8 + index * 2 * channels));
                return samples;
            }
            offset += 8 + size + (size & 1);
        }
        throw new InvalidDataException("no data chunk");
    }
}
