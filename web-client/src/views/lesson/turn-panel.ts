/**
 * The learner's turn: the line to say, a hint, the microphone (push-to-talk or hands-free) with its
 * level meter and a "hearing you" light, and a typed-answer form for anyone without a microphone.
 * Built once; updates only change text, states and attributes, so focus and typing survive patches.
 */
import { t } from "../../i18n.ts";
import type { MicrophoneProblem } from "../../audio/microphone.ts";
import { isMyTurn } from "../../session/conversation.ts";
import { learnerRole, linePosition } from "../../session/learner-lines.ts";
import type { LessonSnapshot } from "../../session/snapshot.ts";
import type { SpeakingController, SpeakingState } from "../../session/speaking.ts";
import type { UtteranceMode } from "../../session/utterance.ts";
import { h } from "../dom.ts";
import { ANSWER_MAX_CHARACTERS } from "../../../../protocol/limits.ts";
import { icon } from "../icons.ts";
import { errorText } from "../../error-text.ts";
import { SCORING_OFF_CODE } from "../../session/speech-scoring.ts";

export interface TurnActions {
  answer(text: string): void;
  hint(): void;
  /** Hear the line the learner is to say (the model audio), at normal speed or slower. */
  listen(slow: boolean): void;
}

const PROBLEM_TEXT: Record<MicrophoneProblem, "micDenied" | "micInsecure" | "micMissing" | "micFailed"> = {
  denied: "micDenied", insecure: "micInsecure", missing: "micMissing", failed: "micFailed",
};

export class TurnPanel {
  readonly element: HTMLElement;
  private readonly label = h("h2", { id: "turn-heading", class: "turn__label" });
  private readonly lineCount = h("p", { class: "turn__count", dataset: { role: "line-count" } });
  private readonly korean = h("p", { class: "prompt__korean", attrs: { lang: "ko" } });
  private readonly romanization = h("p", { class: "romanization prompt__romanization" });
  private readonly translation = h("p", { class: "translation prompt__translation" });
  private readonly hintButton: HTMLButtonElement;
  private readonly hintText = h("p", { class: "hint-bubble", hidden: true, attrs: { "aria-live": "polite" } });
  /** Under Listen on a line with the learner's name: the recording says the lesson's example name. */
  private readonly exampleNameNote = h("p", { class: "hint-text example-name-note", hidden: true, dataset: { role: "example-name" } });
  private readonly problem = h("div", { class: "mic-problem", hidden: true, attrs: { role: "alert" } });
  /**
   * Beside the microphone when the server scores no speech: spoken answers still go to a tutor,
   * who grades them, so the microphone stays on; the learner knows before speaking what will happen.
   */
  private readonly scoringOffNote = h("p", { id: "scoring-off", class: "notice notice--quiet scoring-off-note", hidden: true, dataset: { role: "scoring-off" } });
  private readonly micButton: HTMLButtonElement;
  private readonly micLabel = h("span", { class: "mic-button__label" });
  private readonly meterFill = h("span", { class: "level-meter__fill" });
  private readonly meter = h("div", {
    class: "level-meter", attrs: { role: "meter", "aria-label": t("micLevel"), "aria-valuemin": 0, "aria-valuemax": 100, "aria-valuenow": 0 },
  }, this.meterFill);
  private readonly speakingLight = h("span", { class: "speaking-light", attrs: { "aria-live": "polite" } });
  private readonly modeInputs: Record<UtteranceMode, HTMLInputElement>;
  private readonly typedInput: HTMLInputElement;
  private readonly typedButton: HTMLButtonElement;
  private readonly body: HTMLElement;
  private readonly waiting = h("p", { class: "turn__waiting", hidden: true });
  private myTurn = false;

  constructor(private readonly speaking: SpeakingController, actions: TurnActions) {
    const modeRadio = (mode: UtteranceMode, label: string) => {
      const input = h("input", { type: "radio", name: "mic-mode", value: mode, checked: speaking.state.mode === mode, on: { change: () => speaking.setMode(mode) } });
      return { input, label: h("label", { class: "segmented__option" }, input, h("span", { text: label })) };
    };
    const pushToTalk = modeRadio("push-to-talk", t("micPushToTalk"));
    const handsFree = modeRadio("hands-free", t("micHandsFree"));
    this.modeInputs = { "push-to-talk": pushToTalk.input, "hands-free": handsFree.input };

    this.micButton = h("button", { type: "button", class: "mic-button", attrs: { "aria-pressed": "false", "aria-describedby": "mic-status" } }, icon("mic"), this.micLabel);
    this.bindMicButton();
    this.hintButton = h("button", { type: "button", class: "button button--quiet", dataset: { action: "hint" }, on: { click: () => actions.hint() } }, icon("bulb"), t("hint"));

    this.typedInput = h("input", { id: "typed-answer", type: "text", autocomplete: "off", maxLength: ANSWER_MAX_CHARACTERS, attrs: { lang: "ko", placeholder: t("typePlaceholder"), spellcheck: "false" } });
    this.typedButton = h("button", { type: "submit", class: "button", text: t("check") });
    const form = h("form", {
      class: "typed-answer",
      on: {
        submit: (event) => {
          event.preventDefault();
          const text = this.typedInput.value.trim();
          if (!text || !this.myTurn) return;
          actions.answer(text);
        },
      },
    }, h("label", { htmlFor: "typed-answer", class: "typed-answer__label", text: t("typeAnswer") }),
    h("div", { class: "typed-answer__row" }, this.typedInput, this.typedButton));

    const listenButton = (slow: boolean) => h("button", {
      type: "button", class: `button button--quiet listen-button${slow ? " listen-button--slow" : ""}`,
      dataset: { action: slow ? "listen-slow" : "listen" }, attrs: { "aria-label": t(slow ? "listenSlowerLabel" : "listenLabel") },
      on: { click: () => actions.listen(slow) },
    }, icon("speaker"), h("span", { text: t(slow ? "listenSlower" : "listen"), attrs: { "aria-hidden": "true" } }));
    this.body = h("div", { class: "turn__body" },
      h("div", { class: "prompt" }, this.korean, this.romanization, this.translation,
        h("div", { class: "listen-row" }, listenButton(false), listenButton(true), this.hintButton), this.exampleNameNote),
      h("div", { class: "hint-row" }, this.hintText),
      this.problem,
      this.scoringOffNote,
      h("div", { class: "mic-row" },
        h("fieldset", { class: "segmented" }, h("legend", { class: "visually-hidden", text: t("modeLabel") }), pushToTalk.label, handsFree.label),
        this.micButton,
        h("div", { class: "mic-status", id: "mic-status" }, this.meter, this.speakingLight)),
      form);
    this.element = h("section", { class: "turn", attrs: { "aria-labelledby": "turn-heading" } },
      h("div", { class: "turn__head" }, this.label, this.lineCount), this.waiting, this.body);
    speaking.onChange((state) => this.renderSpeaking(state));
    speaking.onLevel((level) => this.renderLevel(level));
    this.renderSpeaking(speaking.state);
  }

  /**
   * `exampleName`: set when the current line has the learner's `{name}`; its model audio says this
   * name (audio is made once per line, before anyone's name is known), and the note says so.
   * `scoringOff`: the server scores no speech (session/speech-scoring.ts).
   */
  update(snapshot: LessonSnapshot, userId: string, waitingFor: string | null, options: { exampleName?: string | null; scoringOff?: boolean } = {}): void {
    const { exampleName = null, scoringOff = false } = options;
    this.myTurn = isMyTurn(snapshot, userId);
    const step = snapshot.steps[snapshot.currentStep];
    this.element.dataset.myTurn = String(this.myTurn);
    this.element.hidden = snapshot.phase !== "running";
    this.label.textContent = this.myTurn ? t("yourTurn") : t("partnerTurn", { name: waitingFor ?? t("partner") });
    this.body.hidden = !this.myTurn;
    const position = linePosition(snapshot.steps, learnerRole(snapshot, userId), snapshot.currentStep);
    this.lineCount.hidden = !position;
    this.lineCount.textContent = position ? t("lineOf", position) : "";
    this.waiting.hidden = this.myTurn;
    if (step && this.myTurn) {
      if (this.element.dataset.step !== String(step.index)) {
        this.element.dataset.step = String(step.index);
        this.typedInput.value = "";
      }
      this.korean.textContent = step.korean;
      this.romanization.textContent = step.romanization;
      this.translation.textContent = step.translation;
    }
    this.exampleNameNote.hidden = !exampleName || !this.myTurn;
    this.exampleNameNote.textContent = exampleName ? t("exampleNameNote", { name: exampleName }) : "";
    this.scoringOffNote.hidden = !scoringOff;
    this.scoringOffNote.textContent = scoringOff ? errorText(SCORING_OFF_CODE) : "";
    this.micButton.setAttribute("aria-describedby", scoringOff ? "mic-status scoring-off" : "mic-status");
    const hint = snapshot.progress[userId]?.lastHint ?? "";
    this.hintText.hidden = !hint;
    this.hintText.textContent = hint;
    const participant = snapshot.participants[userId];
    const speakingNow = !!participant?.speaking;
    this.speakingLight.classList.toggle("speaking-light--on", speakingNow);
    this.speakingLight.textContent = speakingNow ? t("speakingNow") : "";
    this.typedInput.disabled = !this.myTurn;
    this.typedButton.disabled = !this.myTurn;
    this.renderSpeaking(this.speaking.state);
  }

  /** The typed answer was stored: ready for the next one. */
  answerAccepted(): void {
    this.typedInput.value = "";
  }

  focusAnswer(): void {
    (this.speaking.state.mic === "problem" ? this.typedInput : this.micButton).focus();
  }

  private renderSpeaking(state: SpeakingState): void {
    this.modeInputs[state.mode].checked = true;
    const pushToTalk = state.mode === "push-to-talk";
    const active = state.phase === "listening" || state.phase === "opening";
    let label: string;
    if (state.mic === "starting") label = t("micOpening");
    else if (!this.myTurn) label = t("micWaitTurn");
    else if (pushToTalk) label = active ? t("micRelease") : t("micHold");
    else if (state.phase === "waiting") label = t("micWaitLine");
    else label = state.armed ? t("micListening") : t("micStart");
    this.micLabel.textContent = label;
    this.micButton.setAttribute("aria-pressed", String(pushToTalk ? active : state.armed));
    // Never disabled while starting: that would blur a held button and end push-to-talk at once.
    this.micButton.disabled = !this.myTurn && !state.armed;
    this.micButton.setAttribute("aria-busy", String(state.mic === "starting"));
    this.micButton.dataset.phase = state.phase;
    this.micButton.classList.toggle("mic-button--live", state.phase === "listening");
    this.micButton.classList.toggle("mic-button--armed", state.armed);
    this.element.dataset.micPhase = state.phase;
    this.element.dataset.mic = state.mic;
    this.meter.hidden = state.mic !== "on";
    if (state.mic === "problem" && state.problem) {
      this.problem.hidden = false;
      this.problem.dataset.problem = state.problem;
      this.problem.replaceChildren(
        h("strong", { class: "mic-problem__title", text: t(state.problem === "denied" ? "micDeniedTitle" : "micUnavailableTitle") }),
        h("p", { text: t(PROBLEM_TEXT[state.problem], { detail: state.problemDetail }) }));
    } else {
      this.problem.hidden = true;
    }
  }

  private renderLevel(level: number): void {
    const percent = Math.round(level * 100);
    this.meterFill.style.transform = `scaleX(${level.toFixed(3)})`;
    this.meter.setAttribute("aria-valuenow", String(percent));
  }

  private bindMicButton(): void {
    const button = this.micButton;
    let holding = false;
    const down = () => {
      if (holding) return;
      holding = true;
      void this.speaking.pressStart();
    };
    const up = () => {
      if (!holding) return;
      holding = false;
      this.speaking.pressEnd();
    };
    button.addEventListener("pointerdown", (event) => {
      if (this.speaking.state.mode !== "push-to-talk" || event.button !== 0) return;
      button.setPointerCapture?.(event.pointerId);
      down();
    });
    button.addEventListener("pointerup", up);
    button.addEventListener("pointercancel", up);
    button.addEventListener("lostpointercapture", up);
    button.addEventListener("keydown", (event) => {
      if (this.speaking.state.mode !== "push-to-talk" || (event.key !== " " && event.key !== "Enter")) return;
      event.preventDefault();
      if (!event.repeat) down();
    });
    button.addEventListener("keyup", (event) => {
      if (this.speaking.state.mode !== "push-to-talk" || (event.key !== " " && event.key !== "Enter")) return;
      event.preventDefault();
      up();
    });
    button.addEventListener("blur", up);
    button.addEventListener("contextmenu", (event) => event.preventDefault());
    button.addEventListener("click", () => {
      if (this.speaking.state.mode === "hands-free") void this.speaking.toggleHandsFree();
    });
  }
}
