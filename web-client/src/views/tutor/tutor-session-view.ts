/**
 * A tutor inside a live session: every learner's state with tutor-only notes and account facts,
 * the attempt timeline with recordings and grading by hand, live listening, and the controls that
 * steer the lesson (hint, note, advance, back, end).
 */
import type { AppContext, Unmount } from "../../app-context.ts";
import { LiveListener } from "../../audio/live-listener.ts";
import { phaseLabel, t } from "../../i18n.ts";
import { linesSaid } from "../../session/learner-lines.ts";
import { RoomSession, type ConnectionState, type ServerError as ServerErrorMessage } from "../../session/room-session.ts";
import type { AttemptSnapshot, LessonSnapshot, ParticipantSnapshot, ProgressSnapshot } from "../../session/snapshot.ts";
import { remembered } from "../../storage.ts";
import { scoreList, showsHeardLine, statusBadge, syllableLine } from "../attempt-parts.ts";
import { h, reconcile, setChildren } from "../dom.ts";
import { accountKindLabel, attemptKindLabel, calendarDay, clockTime, dialogueRoleLabel, platformLabel } from "./tutor-labels.ts";
import { icon } from "../icons.ts";
import { errorCodeOf, errorText } from "../../error-text.ts";
import { tutorFailureText } from "./tutor-failure.ts";
import { withLearnerName } from "../lesson/learner-name.ts";
import { QUICK_LABELS, QUICK_SCORES, type QuickGrade } from "./quick-grades.ts";

export function mountTutorSession(root: HTMLElement, app: AppContext, roomId: string): Unmount {
  const tutor = remembered.tutor();
  if (!tutor) {
    app.navigate("#/tutor");
    return () => {};
  }
  const listener = new LiveListener();
  listener.onPlayed = () => {
    page.dataset.framesPlayed = String(listener.framesPlayed);
    page.dataset.secondsPlayed = listener.secondsPlayed.toFixed(3);
  };
  let session: RoomSession | null = null;
  let disposed = false;
  const cleanups: (() => void)[] = [];
  const learnerCards = new Map<string, LearnerCard>();
  const attemptItems = new Map<string, AttemptItem>();
  /** Every learner this page has seen in the session, so one who left (or is not back yet) keeps a name. */
  const seenLearners = new Map<string, ParticipantSnapshot>();

  const title = h("h1", { class: "lesson-header__title", text: t("loading") });
  const subtitle = h("p", { class: "lesson-header__subtitle" });
  const status = h("p", { class: "status-pill", dataset: { connection: "connecting" }, attrs: { role: "status", "aria-live": "polite" }, text: t("connConnecting") });
  const control = (label: string, type: string, extra = "") => h("button", {
    type: "button", class: `button ${extra}`, text: label, dataset: { action: type }, on: { click: () => session?.send(type) },
  });
  const backButton = control(`◀ ${t("back")}`, "back");
  const advanceButton = control(`${t("advance")} ▶`, "advance");
  const endButton = control(t("end"), "end", "button--danger");
  const listenToggle = h("button", {
    type: "button", class: "button listen-toggle", attrs: { "aria-pressed": "false" }, dataset: { action: "listen" },
    on: {
      click: async () => {
        if (listener.isEnabled) listener.disable();
        else await listener.enable();
        listenToggle.setAttribute("aria-pressed", String(listener.isEnabled));
      },
    },
  }, icon("headphones"), t("listenLive"));
  const learnersList = h("div", { class: "tutor-learners" });
  const steps = h("ol", { class: "step-list" });
  // After a restart or the end of a session the room is gone: say so instead of showing stale live facts.
  const gone = h("p", { class: "notice notice--warning session-gone", hidden: true, attrs: { role: "status" }, text: t("sessionGone") });
  const timeline = h("ol", { class: "timeline", attrs: { "aria-live": "polite", "aria-label": t("timeline") } });
  const noAttempts = h("p", { class: "hint-text", text: t("noAttempts") });
  const page = h("div", { class: "tutor-session", dataset: { connection: "connecting", phase: "" } },
    h("header", { class: "lesson-header" },
      h("div", {}, h("a", { href: "#/tutor", class: "back-link", text: `← ${t("liveSessions")}` }), title, subtitle),
      status),
    gone,
    h("div", { class: "tutor-controls", attrs: { role: "toolbar", "aria-label": t("session") } },
      backButton, advanceButton, listenToggle, endButton),
    h("div", { class: "tutor-grid" },
      h("section", { class: "tutor-column", attrs: { "aria-labelledby": "learners-heading" } }, h("h2", { id: "learners-heading", text: t("learners") }), learnersList),
      h("section", { class: "tutor-column", attrs: { "aria-labelledby": "timeline-heading" } }, h("h2", { id: "timeline-heading", text: t("timeline") }), noAttempts, timeline),
      h("section", { class: "tutor-column tutor-column--steps", attrs: { "aria-labelledby": "steps-heading" } }, h("h2", { id: "steps-heading", text: t("conversation") }), steps)));
  setChildren(root, page);

  /** Whether the page is joined to a live room: only then are "connected" and "speaking" facts. */
  let live = false;
  const setConnection = (state: ConnectionState) => {
    live = state === "connected" || state === "reconnected";
    status.textContent = t(state === "connected" ? "connConnected" : state === "reconnecting" ? "connReconnecting"
      : state === "reconnected" ? "connBack" : state === "ended" ? "connEnded" : state === "lost" ? "connLost"
        : state === "failed" ? "connFailed" : "connConnecting");
    status.dataset.connection = state;
    page.dataset.connection = state;
    gone.hidden = !(state === "lost" || state === "ended" || state === "failed");
  };

  void (async () => {
    try {
      session = await RoomSession.join(app.endpoint, roomId, tutor.token, tutor.user.id);
    } catch (error) {
      if (disposed) return;
      setConnection("failed");
      app.toasts.error(errorText(errorCodeOf(error)), errorCodeOf(error));
      return;
    }
    if (disposed) {
      void session.leave();
      return;
    }
    const room = session;
    cleanups.push(
      room.onSnapshot(render),
      room.onConnection((state) => {
        setConnection(state);
        render(room.snapshot);
      }),
      room.on<ServerErrorMessage>("error", (error) => app.toasts.error(errorText(error.code, error), error.code)),
      room.on<{ attemptId: string; codec: string; sampleRate: number }>("utterance-started", (format) => listener.utteranceStarted(format)),
      room.on<Uint8Array>("learner-audio", (bytes) => listener.push(bytes)),
    );
    setConnection(room.connection);
    render(room.snapshot);
  })();

  function render(synced: LessonSnapshot): void {
    if (!synced.lesson.id || !session) return;
    // While reconnecting, what the page last heard about who is connected or speaking came from a
    // process that may be gone: those facts wait for the room to be back.
    const current = withAbsentLearners(live ? synced : withoutLiveFacts(synced), seenLearners);
    // Lines with the learner's {name} read with the name of the learner in the session.
    const firstLearner = Object.values(current.participants).find((participant) => participant.role === "learner");
    const snapshot = firstLearner ? withLearnerName(current, firstLearner.displayName, firstLearner.id) : current;
    page.dataset.phase = snapshot.phase;
    page.dataset.currentStep = String(snapshot.currentStep);
    // Controls sent while the session is moving would be dropped: they wait for it too.
    backButton.disabled = advanceButton.disabled = snapshot.phase !== "running" || !live;
    endButton.disabled = snapshot.phase === "finished" || !live;
    page.dataset.live = String(live);
    title.textContent = snapshot.lesson.title;
    subtitle.textContent = `${phaseLabel(gone.hidden ? snapshot.phase : "finished")} · ${t("step")} ${Math.min(snapshot.currentStep + 1, snapshot.steps.length)}/${snapshot.steps.length}`;

    const learners = Object.values(snapshot.participants).filter((participant) => participant.role === "learner");
    reconcile(learnersList, learners.map((participant) => ({
      key: participant.id, version: "card",
      render: () => {
        const card = new LearnerCard(participant.id, session!);
        learnerCards.set(participant.id, card);
        return card.element;
      },
    })));
    for (const participant of learners) learnerCards.get(participant.id)?.update(participant, snapshot.progress[participant.id], snapshot, !live && gone.hidden);

    const names = Object.fromEntries(Object.values(snapshot.participants).map((participant) => [participant.id, participant.displayName]));
    const attempts = [...snapshot.attempts].reverse();
    noAttempts.hidden = attempts.length > 0;
    reconcile(timeline, attempts.map((attempt) => ({
      key: attempt.id, version: "item",
      render: () => {
        const item = new AttemptItem(attempt.id, session!, app, tutor!.token);
        attemptItems.set(attempt.id, item);
        return item.element;
      },
    })));
    for (const attempt of attempts) attemptItems.get(attempt.id)?.update(attempt, snapshot, names[attempt.learnerId] ?? attempt.learnerId, session.isOpen);

    reconcile(steps, snapshot.steps.map((step) => {
      const current = snapshot.phase === "running" && step.index === snapshot.currentStep;
      const learner = learners.find((participant) => participant.dialogueRole === step.speaker);
      return {
        key: String(step.index), version: JSON.stringify([current, learner?.displayName, step.index < snapshot.currentStep]),
        render: () => h("li", { class: `step-item${current ? " step-item--current" : ""}${step.index < snapshot.currentStep ? " step-item--done" : ""}`, attrs: { "aria-current": current ? "step" : null } },
          h("span", { class: "step-item__speaker", text: learner ? `${step.speaker} · ${learner.displayName}` : step.speaker }),
          h("span", { class: "step-item__korean", attrs: { lang: "ko" }, text: step.korean }),
          h("span", { class: "step-item__translation", text: step.translation })),
      };
    }));
  }

  return async () => {
    disposed = true;
    for (const cleanup of cleanups) cleanup();
    for (const item of attemptItems.values()) item.dispose();
    await listener.close();
    await session?.leave();
  };
}

/** One learner: live facts re-drawn on change; the hint and note forms persist. */
class LearnerCard {
  readonly element: HTMLElement;
  private readonly facts = h("div", { class: "learner-card__facts" });
  private readonly notes = h("ul", { class: "notes" });
  private version = "";

  constructor(private readonly learnerId: string, session: RoomSession) {
    const hintInput = h("input", { type: "text", id: `hint-${learnerId}`, maxLength: 300, attrs: { placeholder: t("hintText") } });
    const noteInput = h("textarea", { id: `note-${learnerId}`, rows: 2, maxLength: 1000, attrs: { placeholder: t("notePlaceholder") } });
    this.element = h("article", { class: "card learner-card", dataset: { learnerId } },
      this.facts,
      h("h3", { class: "learner-card__subhead", text: t("notes") }),
      this.notes,
      h("form", {
        class: "inline-form",
        on: {
          submit: (event) => {
            event.preventDefault();
            if (!noteInput.value.trim()) return;
            session.send("note", { learnerId, text: noteInput.value.trim() });
            noteInput.value = "";
          },
        },
      }, h("label", { htmlFor: `note-${learnerId}`, class: "visually-hidden", text: t("addNote") }), noteInput,
      h("button", { type: "submit", class: "button", text: t("addNote") })),
      h("form", {
        class: "inline-form",
        on: {
          submit: (event) => {
            event.preventDefault();
            if (!hintInput.value.trim()) return;
            session.send("tutor-hint", { learnerId, text: hintInput.value.trim() });
            hintInput.value = "";
          },
        },
      }, h("label", { htmlFor: `hint-${learnerId}`, class: "visually-hidden", text: t("hintText") }), hintInput,
      h("button", { type: "submit", class: "button", text: t("sendHint") })));
  }

  update(participant: ParticipantSnapshot, progress: ProgressSnapshot | undefined, snapshot: LessonSnapshot, reconnecting: boolean): void {
    // The lines this learner said in this session, as their own recap counts them.
    const lines = linesSaid(snapshot, participant.id);
    const version = JSON.stringify([participant, progress, snapshot.steps.length, lines, reconnecting]);
    if (version === this.version) return;
    this.version = version;
    const account = participant.account;
    setChildren(this.facts,
      h("div", { class: "learner-card__head" },
        h("h3", { text: participant.displayName }),
        participant.platform === "unity"
          ? h("span", { class: "badge badge--unity", dataset: { platform: "unity" }, title: t("unityLearnerTitle"), text: t("unityLearner") })
          : null,
        !reconnecting
          ? h("span", { class: `presence ${participant.connected ? "presence--on" : "presence--off"}`, text: participant.connected ? t("connected") : t("disconnected") })
          : h("span", { class: "presence presence--unknown", text: t("presenceUnknown") }),
        participant.speaking ? h("span", { class: "speaking-light speaking-light--on", dataset: { speaking: "true" }, text: t("speaking") }) : null),
      h("dl", { class: "stat-grid stat-grid--compact" },
        stat(t("role"), dialogueRoleLabel(participant.dialogueRole)),
        stat(t("platform"), platformLabel(participant.platform)),
        progress ? stat(t("step"), `${Math.min(progress.currentStep + 1, snapshot.steps.length)}/${snapshot.steps.length}`) : null,
        progress ? stat(t("linesSaid"), t("countOf", lines)) : null,
        progress ? stat(t("attempts"), String(progress.attemptsCount)) : null,
        progress ? stat(t("bestScore"), String(progress.bestScore)) : null,
        progress ? stat(t("hintsUsed"), String(progress.hintsUsed)) : null),
      progress?.lastHint ? h("p", { class: "hint-bubble", text: progress.lastHint }) : null,
      account ? h("p", { class: "learner-card__account", dataset: { tutorOnly: "account" } },
        `${t("account")}: ${accountKindLabel(account.kind)}${account.email ? ` · ${account.email}` : ""} · ${account.userId.slice(0, 8)} · ${calendarDay(account.createdAt)}`) : null);
    setChildren(this.notes, (progress?.notes ?? []).map((note) => h("li", { class: "note", dataset: { tutorOnly: "note" } },
      h("span", { class: "note__meta", text: `${note.tutorName} · ${clockTime(note.at)}` }), h("span", { text: note.text }))));
  }
}

/** One attempt in the timeline: its result re-drawn on change; playback and the grade form persist. */
class AttemptItem {
  readonly element: HTMLElement;
  private readonly content = h("div", { class: "attempt__content" });
  private readonly playButton: HTMLButtonElement;
  private readonly audioSlot = h("div", { class: "attempt__audio" });
  private readonly gradeForm: HTMLFormElement;
  private readonly score = h("input", { type: "number", min: "0", max: "100", step: "1", required: true, class: "grade-score" });
  private readonly comment = h("input", { type: "text", maxLength: 500, class: "grade-comment" });
  private version = "";
  private audio: HTMLAudioElement | null = null;

  constructor(readonly attemptId: string, session: RoomSession, private readonly app: AppContext, private readonly token: string) {
    this.score.id = `grade-score-${attemptId}`;
    this.comment.id = `grade-comment-${attemptId}`;
    this.playButton = h("button", { type: "button", class: "button", dataset: { action: "play" }, on: { click: () => void this.play() } }, icon("play"), t("play"));
    this.gradeForm = h("form", {
      class: "grade-form",
      on: {
        submit: (event) => {
          event.preventDefault();
          const score = Number(this.score.value);
          if (!Number.isInteger(score) || score < 0 || score > 100) return;
          session.send("grade", { attemptId, score, comment: this.comment.value.trim() });
        },
      },
    },
    h("div", { class: "field field--inline" }, h("label", { htmlFor: this.score.id, text: t("score") }), this.score),
    h("div", { class: "field field--inline field--grow" }, h("label", { htmlFor: this.comment.id, text: t("comment") }), this.comment),
    h("button", { type: "submit", class: "button button--primary", text: t("saveGrade") }));
    const quickGrade = (kind: QuickGrade) => h("button", {
      type: "button", class: `button quick-grade quick-grade--${kind}`, dataset: { action: `grade-${kind}`, score: QUICK_SCORES[kind] },
      attrs: { "aria-label": t(QUICK_LABELS[kind].label, { score: QUICK_SCORES[kind] }) },
      on: { click: () => session.send("grade", { attemptId, score: QUICK_SCORES[kind], comment: this.comment.value.trim() }) },
    }, t(QUICK_LABELS[kind].text));
    this.element = h("li", { class: "card attempt", dataset: { attemptId } },
      this.content,
      h("div", { class: "attempt__actions" }, this.playButton, this.audioSlot),
      h("div", { class: "quick-grades", attrs: { role: "group", "aria-label": t("saveGrade") } }, quickGrade("pass"), quickGrade("close"), quickGrade("retry")),
      this.gradeForm);
  }

  update(attempt: AttemptSnapshot, snapshot: LessonSnapshot, learnerName: string, canGrade: boolean): void {
    // A grade sent while the session is moving to another process would be lost: the buttons wait.
    for (const button of this.element.querySelectorAll<HTMLButtonElement>(".quick-grades button, .grade-form button")) button.disabled = !canGrade;
    const line = snapshot.steps[attempt.step]?.korean ?? "";
    const version = JSON.stringify([attempt, learnerName, canGrade]);
    if (version === this.version) return;
    this.version = version;
    this.element.dataset.status = attempt.status;
    this.element.dataset.kind = attempt.kind;
    const settled = attempt.status !== "recording" && attempt.status !== "evaluating";
    this.playButton.hidden = attempt.kind !== "spoken" || !settled;
    setChildren(this.content,
      h("div", { class: "attempt__head" },
        h("strong", { text: learnerName }),
        h("span", { class: "hint-text", text: `${t("step")} ${attempt.step + 1} · ${attemptKindLabel(attempt.kind)} · ${clockTime(attempt.createdAt)}` }),
        tutorStatusBadge(attempt, canGrade),
        correctnessLabel(attempt)),
      attempt.status === "scored" || attempt.status === "awaiting-tutor" ? syllableLine(line, attempt, "large")
        : h("p", { class: "attempt__line", attrs: { lang: "ko" }, text: line }),
      attempt.text && !showsHeardLine(line, attempt) ? h("p", { class: "attempt__heard", attrs: { lang: "ko" }, text: `“${attempt.text}”` }) : null,
      scoreList(attempt),
      attempt.feedback ? h("p", { class: "result-card__tip", text: attempt.feedback }) : null,
      tutorFailureText(attempt) ? h("p", { class: `result-card__failure result-card__failure--${attempt.status}`, text: tutorFailureText(attempt) }) : null,
      attempt.tutorScore >= 0 ? h("p", { class: "result-card__tutor", dataset: { tutorScore: attempt.tutorScore } },
        h("strong", { text: t("graded", { score: attempt.tutorScore }) }), attempt.tutorComment ? ` — ${attempt.tutorComment}` : "") : null,
      attempt.evaluation ? h("details", { class: "attempt__evaluation", dataset: { tutorOnly: "evaluation" } },
        h("summary", { text: t("evaluation") }), h("pre", { text: prettyJson(attempt.evaluation) })) : null);
  }

  private async play(): Promise<void> {
    if (!this.audio) {
      this.playButton.disabled = true;
      try {
        const blob = await this.app.api.attemptAudio(this.token, this.attemptId);
        this.audio = h("audio", { controls: true, src: URL.createObjectURL(blob), class: "replay-audio", dataset: { attemptId: this.attemptId } });
        this.audioSlot.append(this.audio);
      } catch (error) {
        this.app.toasts.error(errorText(errorCodeOf(error)), errorCodeOf(error));
        return;
      } finally {
        this.playButton.disabled = false;
      }
    }
    this.audio.currentTime = 0;
    await this.audio.play().catch(() => {});
  }

  dispose(): void {
    if (this.audio) {
      this.audio.pause();
      URL.revokeObjectURL(this.audio.src);
    }
  }
}

/** The status in a tutor's words: "Waiting for your tutor" is what the learner reads, not the tutor. */
function tutorStatusBadge(attempt: AttemptSnapshot, live: boolean): HTMLElement {
  const badge = statusBadge(attempt);
  // "Listening…" from a process that may be gone is not a fact: it waits for the session to be back.
  if (!live && (attempt.status === "recording" || attempt.status === "evaluating")) badge.textContent = t("attemptUnknown");
  if (attempt.status === "awaiting-tutor") badge.textContent = t("tutorAwaiting");
  if (attempt.status === "failed") badge.textContent = t("tutorFailed");
  return badge;
}

function correctnessLabel(attempt: AttemptSnapshot): HTMLElement | null {
  if (attempt.status !== "scored") return null;
  // The server's pass rule, as synced (every syllable right, or a tutor grade at the configured pass mark).
  const correct = attempt.passed;
  return h("span", { class: `label label--${correct ? "correct" : "incorrect"}`, dataset: { correct: String(correct) } },
    t(correct ? "labelCorrect" : "labelIncorrect"));
}

/**
 * Learners who answered in this session but hold no seat now (they left, or after a restart they
 * are not back yet) are listed as away, under the name the page last saw: a tutor reads "Mina,
 * disconnected", never an account id. A learner's seat is a participant only while they are in the room.
 */
function withAbsentLearners(snapshot: LessonSnapshot, seen: Map<string, ParticipantSnapshot>): LessonSnapshot {
  for (const participant of Object.values(snapshot.participants)) if (participant.role === "learner") seen.set(participant.id, participant);
  const absent = [...new Set([...snapshot.attempts.map((attempt) => attempt.learnerId), ...Object.keys(snapshot.progress)])]
    .filter((id) => !snapshot.participants[id]);
  if (absent.length === 0) return snapshot;
  const participants = { ...snapshot.participants };
  for (const id of absent) {
    const known = seen.get(id);
    participants[id] = {
      id, role: "learner", displayName: known?.displayName ?? t("learnerAway"), platform: known?.platform ?? "",
      dialogueRole: known?.dialogueRole ?? "", account: known?.account, connected: false, speaking: false,
    };
  }
  return { ...snapshot, participants };
}

/** A session whose room is gone: nobody is connected or speaking any more. */
function withoutLiveFacts(snapshot: LessonSnapshot): LessonSnapshot {
  const participants = Object.fromEntries(Object.entries(snapshot.participants).map(([id, participant]) => [id, { ...participant, connected: false, speaking: false }]));
  return { ...snapshot, participants };
}

function stat(label: string, value: string): HTMLElement {
  return h("div", { class: "stat" }, h("dt", { text: label }), h("dd", { text: value }));
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
