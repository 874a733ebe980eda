import { KotoError } from "../../errors.ts";
import type { SpeechToText, TranscribeRequest, Transcript } from "./speech-to-text.ts";

/** The server runs without automatic scoring; attempts go to a tutor instead. */
export class NoSpeechToText implements SpeechToText {
  readonly name = "none";

  async transcribe(_request: TranscribeRequest, _signal?: AbortSignal): Promise<Transcript> {
    throw new KotoError(
      "STT_DISABLED",
      "Automatic scoring is off on this server; a tutor will grade your attempt.",
      503,
    );
  }
}
