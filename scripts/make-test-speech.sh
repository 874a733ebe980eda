#!/usr/bin/env bash
# Generates the small speech fixtures in test/fixtures/audio/ from real (synthetic) Korean speech.
#
# espeak-ng's Korean voice is robotic but it is real Korean phonetics, which is what the VAD,
# endpointing and audio path need. Each utterance is first trimmed to its audible part so that the
# padding added here is the exact leading/trailing silence the endpointer tests measure against.
#
# Needs: espeak-ng and sox (Debian: apt-get install -y espeak-ng sox).
# Output is deterministic: sox runs with -R (repeatable random noise) and -D (no dither).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$ROOT/test/fixtures/audio}"
LEAD=0.5     # seconds of silence before speech
TRAIL=1.5    # seconds of silence after speech (longer than the 1.2 s default end-of-turn)
PAUSE=0.7    # seconds of silence between the two phrases of two-phrases-pause.wav

for tool in espeak-ng sox; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install -y espeak-ng sox" >&2; exit 1; }
done

mkdir -p "$OUT"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

SOX=(sox -R -D -V1)
TO16K=(-r 16000 -c 1 -b 16 -e signed-integer)

# speak NAME TEXT: writes $WORK/NAME.wav, the utterance with its own silences trimmed (22.05 kHz).
speak() {
  espeak-ng -v ko -w "$WORK/$1.raw.wav" "$2"
  "${SOX[@]}" "$WORK/$1.raw.wav" "$WORK/$1.wav" \
    silence 1 0.005 0.3% reverse silence 1 0.005 0.3% reverse
}

speak annyeong "안녕하세요"
speak minsu "저는 민수예요"
speak gamsa "감사합니다"

"${SOX[@]}" "$WORK/annyeong.wav" "${TO16K[@]}" "$OUT/annyeonghaseyo.wav" rate -v 16000 pad "$LEAD" "$TRAIL"
"${SOX[@]}" "$WORK/minsu.wav" "${TO16K[@]}" "$OUT/jeoneun-minsu.wav" rate -v 16000 pad "$LEAD" "$TRAIL"

# Two phrases with a thinking pause between them: a beginner's turn that must not be cut in two.
"${SOX[@]}" -n -r 22050 -c 1 -b 16 "$WORK/pause.wav" trim 0 "$PAUSE"
"${SOX[@]}" "$WORK/annyeong.wav" "$WORK/pause.wav" "$WORK/minsu.wav" "$WORK/two.wav"
"${SOX[@]}" "$WORK/two.wav" "${TO16K[@]}" "$OUT/two-phrases-pause.wav" rate -v 16000 pad "$LEAD" "$TRAIL"

# Light background hiss under the whole file, including the silences around the speech.
"${SOX[@]}" "$WORK/gamsa.wav" "${TO16K[@]}" "$WORK/gamsa16.wav" rate -v 16000 pad "$LEAD" "$TRAIL"
LEN="$(soxi -s "$WORK/gamsa16.wav")"
"${SOX[@]}" -n "${TO16K[@]}" "$WORK/noise.wav" synth "${LEN}s" whitenoise vol 0.02
"${SOX[@]}" -m -v 1 "$WORK/gamsa16.wav" -v 1 "$WORK/noise.wav" "${TO16K[@]}" "$OUT/noisy-gamsahamnida.wav"

# Pure digital silence: the endpointer must never report speech in it.
"${SOX[@]}" -n "${TO16K[@]}" "$OUT/silence.wav" trim 0 1.5

# The same "안녕하세요" at 48 kHz with short padding (kept small), for the resampler test:
# speech starts 0.1 s in, against 0.5 s in annyeonghaseyo.wav.
"${SOX[@]}" "$WORK/annyeong.wav" -r 48000 -c 1 -b 16 -e signed-integer "$OUT/annyeonghaseyo-48k.wav" \
  rate -v 48000 pad 0.1 0.1

ls -l "$OUT"
