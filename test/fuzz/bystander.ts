/**
 * A learner minding their own lesson while the fuzzer attacks the server: signs in as a guest,
 * opens the lesson, answers each of their lines by typing, and starts over when it ends. Any error
 * message, unexpected disconnect or stall is written down in `problems`.
 */
import { Client, type Room } from "@colyseus/sdk";

const STALL_MS = 20_000;

export class Bystander {
  readonly problems: string[] = [];
  answered = 0;
  private running = true;
  private loop?: Promise<void>;
  /** Ends the current wait when stopping. */
  private wake?: () => void;

  private constructor(private readonly base: string, private readonly lessonId: string, private readonly token: string) {}

  static async start(base: string, lessonId: string): Promise<Bystander> {
    const response = await fetch(`${base}/api/auth/guest`, {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "Bystander" }),
    });
    const { token } = (await response.json()) as { token: string };
    const bystander = new Bystander(base, lessonId, token);
    bystander.loop = bystander.play().catch((error) => void bystander.problems.push(`stopped: ${error}`));
    return bystander;
  }

  /** Resolves once `steps` more answers were accepted. */
  async advance(steps: number): Promise<void> {
    const target = this.answered + steps;
    const deadline = Date.now() + STALL_MS * 2;
    while (this.answered < target) {
      if (this.problems.length > 0) return;
      if (Date.now() > deadline) {
        this.problems.push(`made no progress: ${this.answered} answers, waiting for ${target}`);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  private async play(): Promise<void> {
    while (this.running) {
      const room = await new Client(this.base).create<any>("lesson", { lessonId: this.lessonId, token: this.token });
      let left = false;
      let leaving = false;
      room.onMessage("error", (error: unknown) => void this.problems.push(`error message: ${JSON.stringify(error)}`));
      room.onMessage("*", () => {});
      room.onLeave((code: number) => {
        left = true;
        if (!leaving) this.problems.push(`disconnected with code ${code}`);
      });
      await this.until(room, () => room.state?.steps?.length > 0, "the lesson state");
      room.send("start");
      await this.until(room, () => room.state.phase === "running", "the lesson to start");
      while (this.running && !left && room.state.phase === "running") {
        const me = room.state.participants.get(room.state.participants.keys().next().value);
        const step = room.state.steps[room.state.currentStep];
        if (!me || step.speaker !== me.dialogueRole) {
          await this.until(room, () => room.state.phase !== "running" || room.state.steps[room.state.currentStep].speaker === me?.dialogueRole, "the partner's line");
          continue;
        }
        const before = room.state.currentStep;
        room.send("answer", { text: step.korean, step: step.index });
        await this.until(room, () => room.state.currentStep !== before || room.state.phase !== "running", `leaving step ${before}`);
        this.answered += 1;
      }
      leaving = true;
      await room.leave().catch(() => {});
    }
  }

  private until(room: Room<any, any>, condition: () => boolean, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        try {
          return condition();
        } catch {
          return false;
        }
      };
      if (check() || !this.running) return resolve();
      this.wake = () => {
        clearTimeout(timer);
        room.onStateChange.remove(listener);
        resolve();
      };
      const timer = setTimeout(() => {
        room.onStateChange.remove(listener);
        reject(new Error(`stalled waiting for ${what}`));
      }, STALL_MS);
      const listener = () => {
        if (!check() && this.running) return;
        clearTimeout(timer);
        room.onStateChange.remove(listener);
        resolve();
      };
      room.onStateChange(listener);
    });
  }
}
