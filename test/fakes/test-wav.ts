/**
 * A 16 kHz mono PCM16 WAV of a tone: real WAV bytes for tests that need a file shaped like the
 * pipeline's output but do not care what it says.
 */
export function makeTestWav(options: { durationMs?: number; sampleRate?: number; frequencyHz?: number } = {}): Uint8Array<ArrayBuffer> {
  const sampleRate = options.sampleRate ?? 16_000;
  const samples = Math.round(((options.durationMs ?? 500) / 1000) * sampleRate);
  const frequency = options.frequencyHz ?? 220;
  const bytes = new Uint8Array(44 + samples * 2);
  const view = new DataView(bytes.buffer);
  const ascii = (offset: number, text: string) => {
    for (let i = 0; i < text.length; i++) bytes[offset + i] = text.charCodeAt(i);
  };
  ascii(0, "RIFF");
  view.setUint32(4, 36 + samples * 2, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  ascii(36, "data");
  view.setUint32(40, samples * 2, true);
  for (let i = 0; i < samples; i++) {
    view.setInt16(44 + i * 2, Math.round(8000 * Math.sin((2 * Math.PI * frequency * i) / sampleRate)), true);
  }
  return bytes;
}
