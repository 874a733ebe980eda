import assert from "node:assert/strict";
import { FrameSequencer, LOST, type Sequenced } from "../../../server/speech/audio/sequencer.ts";
import { expectKotoError } from "./signals.ts";

/** A wire frame that names its sequence number. */
function frame(sequence: number): string {
  return String(sequence);
}

/** What came out, as sequence numbers; "-" where a frame was declared lost. */
function labels(frames: Sequenced<string>[]): string[] {
  return frames.map((label) => (label === LOST ? "-" : label));
}

/** `fastPath`: as the pipeline feeds it, `takeInOrder` first and `push` only for a frame it declines. */
function feed(sequencer: FrameSequencer<string>, arrivals: number[], fastPath = false): string[] {
  return arrivals.flatMap((sequence) =>
    fastPath && sequencer.takeInOrder(sequence) ? [frame(sequence)] : labels(sequencer.push(sequence, frame(sequence))));
}

describe("FrameSequencer", () => {
  const cases: Array<{
    name: string;
    arrivals: number[];
    delivered: string;
    afterFlush?: string;
    stats: { duplicates?: number; reordered?: number; lost?: number; late?: number };
  }> = [
    { name: "passes frames in order straight through", arrivals: [0, 1, 2, 3], delivered: "0 1 2 3", stats: {} },
    { name: "drops a frame sent twice in a row", arrivals: [0, 1, 1, 2], delivered: "0 1 2", stats: { duplicates: 1 } },
    {
      name: "drops a duplicate of a frame still waiting for its turn",
      arrivals: [0, 2, 2, 1],
      delivered: "0 1 2",
      stats: { duplicates: 1, reordered: 1 },
    },
    { name: "drops a replay of an old frame", arrivals: [0, 1, 2, 0], delivered: "0 1 2", stats: { duplicates: 1 } },
    { name: "puts a swapped pair back in order", arrivals: [0, 2, 1, 3], delivered: "0 1 2 3", stats: { reordered: 1 } },
    {
      name: "waits up to the window for a straggler",
      arrivals: [0, 2, 3, 4, 1, 5],
      delivered: "0 1 2 3 4 5",
      stats: { reordered: 1 },
    },
    {
      name: "fills a frame that never comes with silence once the window has passed",
      arrivals: [0, 2, 3, 4, 5, 6],
      delivered: "0 - 2 3 4 5 6",
      stats: { lost: 1 },
    },
    {
      name: "drops a frame that arrives after it was given up, counting it late",
      arrivals: [0, 2, 3, 4, 5, 1, 6],
      delivered: "0 - 2 3 4 5 6",
      stats: { lost: 1, late: 1 },
    },
    {
      name: "fills a burst of losses",
      arrivals: [0, 4, 5, 6, 7],
      delivered: "0 - - - 4 5 6 7",
      stats: { lost: 3 },
    },
    {
      name: "flushes what is left at the end of the utterance, filling holes",
      arrivals: [0, 1, 3, 5],
      delivered: "0 1",
      afterFlush: "- 3 - 5",
      stats: { lost: 2 },
    },
    {
      name: "fills a lost first frame too",
      arrivals: [1, 2, 3, 4],
      delivered: "- 1 2 3 4",
      stats: { lost: 1 },
    },
  ];

  for (const [{ name, arrivals, delivered, afterFlush, stats }, fastPath] of cases.flatMap((c) => [[c, false], [c, true]] as const)) {
    it(`${name}${fastPath ? " (in-order fast path first)" : ""}`, () => {
      const sequencer = new FrameSequencer<string>({ window: 4 });
      assert.equal(feed(sequencer, arrivals, fastPath).join(" "), delivered);
      assert.equal(labels(sequencer.flush()).join(" "), afterFlush ?? "");
      assert.deepEqual(sequencer.stats(), {
        received: arrivals.length,
        duplicates: stats.duplicates ?? 0,
        reordered: stats.reordered ?? 0,
        lost: stats.lost ?? 0,
        late: stats.late ?? 0,
      });
    });
  }

  it("keeps the total duration when frames are lost, so the endpointer's clock stays true", () => {
    const sequencer = new FrameSequencer<string>();
    const arrivals = Array.from({ length: 50 }, (_, i) => i).filter((i) => i % 7 !== 3);
    const out = [...arrivals.flatMap((i) => sequencer.push(i, frame(i))), ...sequencer.flush()];
    assert.equal(out.length, 50);
    assert.equal(out.filter((label) => label === LOST).length, 7);
    assert.equal(sequencer.stats().lost, 7);
  });

  it("refuses a jump of seconds as AUDIO_SEQUENCE_GAP instead of inventing silence", () => {
    const sequencer = new FrameSequencer<string>({ maxGapFrames: 100 });
    sequencer.push(0, frame(0));
    const error = expectKotoError(() => sequencer.push(102, frame(102)), "AUDIO_SEQUENCE_GAP");
    assert.match(error.message, /start at 0/);
    // A gap of exactly the limit is still taken as loss.
    assert.doesNotThrow(() => sequencer.push(101, frame(101)));
    assert.equal(sequencer.stats().lost, 97);
  });
});
