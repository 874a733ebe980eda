/**
 * A lesson, for a learner: connects to the lesson room, then keeps the conversation, the latest
 * result and the turn panel in step with the synchronized state, reads partner lines aloud, and
 * tells the learner how the connection is doing.
 */
import type { LessonDetails } from "../../api.ts";
import type { AppContext, Unmount } from "../../app-context.ts";
import { LinePlayer } from "../../audio/line-player.ts";
import { language, languageForPack, setLanguage, t, type MessageKey, levelLabel } from "../../i18n.ts";
import { conversationFor, latestAttemptOf, linesHeardBefore, serverLinesSaid } from "../../session/conversation.ts";
import { learnerLines, learnerRole, linesSaid } from "../../session/learner-lines.ts";
import { RoomSession, type ConnectionState, type ServerError as ServerErrorMessage } from "../../session/room-session.ts";
import type { LessonSnapshot } from "../../session/snapshot.ts";
import { SpeakingController } from "../../session/speaking.ts";
import { speechScoringOff } from "../../session/speech-scoring.ts";
import { newAttemptId } from "../../session/utterance.ts";
import { remembered } from "../../storage.ts";
import { h, setChildren } from "../dom.ts";
import { icon } from "../icons.ts";
import { errorCodeOf, errorText } from "../../error-text.ts";
import { ChatView } from "./chat-view.ts";
import { ResultCard } from "./result-card.ts";
import { TurnPanel } from "./turn-panel.ts";
import { withLearnerName } from "./learner-name.ts";
import { hasNameSlot } from "../../../../server/content/name-slot.ts";
import { ModelComparison } from "./model-comparison.ts";
import { recapOf, renderRecap } from "./recap.ts";
import { keepTurnInView } from "./turn-in-view.ts";

interface Parts {
  chat: ChatView;
  result: ResultCard;
  turn: TurnPanel;
  lobby: HTMLElement;
  finished: HTMLElement;
  room: RoomSession;
  comparison: ModelComparison;
}

const CONNECTION_TEXT: Record<ConnectionState, MessageKey> = {
  connecting: "connConnecting",
  connected: "connConnected",
  reconnecting: "connReconnecting",
  reconnected: "connBack",
  ended: "connEnded",
  lost: "connLost",
  failed: "connFailed",
};

export function mountLesson(root: HTMLElement, app: AppContext, lessonId: string): Unmount {
  const learner = remembered.learner();
  if (!learner) {
    app.toasts.error(errorText("NAME_REQUIRED"), "NAME_REQUIRED");
    app.navigate("#/");
    return () => {};
  }
  let session: RoomSession | null = null;
  let speaking: SpeakingController | null = null;
  let disposed = false;
  let details: LessonDetails | null = null;
  let firstSnapshot = true;
  let lastPhase = "";
  let parts: Parts | null = null;
  const cleanups: (() => void)[] = [];
  const player = new LinePlayer((url) => new URL(url, app.endpoint + "/").href);
  const display = remembered.display();

  const title = h("h1", { class: "lesson-header__title", text: t("loading") });
  const subtitle = h("p", { class: "lesson-header__subtitle" });
  const status = h("p", { class: "status-pill", dataset: { connection: "connecting" }, attrs: { role: "status", "aria-live": "polite" }, text: t("connConnecting") });
  const toggle = (key: "romanization" | "translation", label: string) => h("label", { class: "switch" },
    h("input", {
      type: "checkbox", checked: display[key],
      on: {
        change: (event) => {
          display[key] = (event.target as HTMLInputElement).checked;
          remembered.setDisplay(display);
          page.classList.toggle(`lesson--hide-${key}`, !display[key]);
        },
      },
    }), h("span", { text: label }));
  const voiceNote = h("p", { class: "notice notice--quiet", hidden: true, text: t("noVoice") });
  const stage = h("div", { class: "lesson-stage" });
  const page = h("div", { class: "lesson", dataset: { phase: "", connection: "connecting" } },
    h("header", { class: "lesson-header" },
      h("div", {}, h("a", { href: "#/", class: "back-link", text: `← ${t("backToLessons")}` }), title, subtitle),
      status),
    h("div", { class: "lesson-toolbar" },
      toggle("romanization", t("showRomanization")),
      toggle("translation", t("showTranslation")),
      h("button", { type: "button", class: "button button--quiet", text: t("leave"), on: { click: () => app.navigate("#/") } })),
    voiceNote,
    stage);
  page.classList.toggle("lesson--hide-romanization", !display.romanization);
  page.classList.toggle("lesson--hide-translation", !display.translation);
  setChildren(root, page);

  const setConnection = (state: ConnectionState) => {
    status.textContent = t(CONNECTION_TEXT[state]);
    status.dataset.connection = state;
    page.dataset.connection = state;
  };

  void connect();

  async function connect(): Promise<void> {
    app.api.lesson(lessonId).then((lesson) => {
      details = lesson;
      if (session) render(session.snapshot);
    }, () => {});
    try {
      session = await RoomSession.openLesson(app.endpoint, lessonId, learner!.token, learner!.user.id);
    } catch (error) {
      if (disposed) return;
      // Matchmaking refusals carry their code as protocol/matchmaking.ts documents.
      const code = errorCodeOf(error);
      const message = errorText(code);
      // A lesson (or course) that does not exist is a wrong link, not a connection that failed:
      // the title says so and no connection pill claims otherwise.
      const missing = code === "LESSON_NOT_FOUND" || code === "PACK_NOT_FOUND";
      setConnection("failed");
      status.hidden = missing;
      title.textContent = missing ? message : details?.title ?? t("connFailed");
      if (code.startsWith("AUTH_")) remembered.setLearner(null);
      app.toasts.error(message, code);
      setChildren(stage, h("div", { class: "card" }, h("p", { text: message }), h("a", { class: "button button--primary", href: "#/", text: t("backToLessons") })));
      return;
    }
    if (disposed) {
      void session.leave();
      return;
    }
    setup(session);
  }

  /** The line due now, with the learner's name in it: what "Listen" plays. */
  const currentLine = (room: RoomSession) => withLearnerName(room.snapshot, learner!.user.displayName, learner!.user.id).steps[room.snapshot.currentStep];

  function setup(room: RoomSession): void {
    speaking = new SpeakingController(room, { playbackBusy: () => player.busy });
    const chat = new ChatView({ play: (step) => player.playNow(step) });
    const result = new ResultCard({
      replay: async (attempt) => {
        try {
          const blob = await app.api.attemptAudio(learner!.token, attempt.id);
          return h("audio", { controls: true, src: URL.createObjectURL(blob), class: "replay-audio", dataset: { attemptId: attempt.id } });
        } catch (error) {
          app.toasts.error(errorText(errorCodeOf(error)), errorCodeOf(error));
          return null;
        }
      },
      retry: () => {
        void speaking!.retry();
        turn.focusAnswer();
      },
      goOn: (_attempt, stillCurrent) => {
        if (stillCurrent) room.send("next");
        turn.focusAnswer();
      },
    });
    const turn = new TurnPanel(speaking, {
      answer: (text) => sentOrSaid(room.send("answer", { text, step: room.snapshot.currentStep, attemptId: newAttemptId() })),
      hint: () => void sentOrSaid(room.send("hint")),
      listen: (slow) => {
        const step = currentLine(room);
        if (step) player.playNow(step, { slow });
      },
    });
    const comparison = new ModelComparison({
      playYours: (attempt) => result.element.querySelector<HTMLAudioElement>(`audio[data-attempt-id="${attempt.id}"]`) ?? null,
      fetchYours: (attempt) => app.api.attemptAudio(learner!.token, attempt.id),
      playModel: (stepIndex) => {
        const step = withLearnerName(room.snapshot, learner!.user.displayName, learner!.user.id).steps[stepIndex];
        if (step) player.playNow(step);
      },
    });
    const lobby = h("section", { class: "card lobby" });
    const finished = h("section", { class: "card finished", hidden: true, attrs: { "aria-live": "polite" } });
    setChildren(stage, lobby, chat.element, result.element, comparison.element, turn.element, finished);

    cleanups.push(
      room.onConnection((state) => {
        setConnection(state);
        if (state === "reconnected") app.toasts.show({ kind: "success", message: t("connBack") });
        render(room.snapshot);
      }),
      room.onSnapshot((snapshot) => render(snapshot)),
      room.on<ServerErrorMessage>("error", (error) => app.toasts.error(errorText(error.code, error), error.code)),
      room.on("attempt-accepted", () => turn.answerAccepted()),
      room.on<{ from: string; text: string }>("tutor-hint", (hint) => app.toasts.info(hint.text, t("hintFromTutor", { name: hint.from }))),
      room.on<{ by: string }>("tutor-moved", (move) => app.toasts.info(t("tutorMoved", { name: move.by }))),
      room.on("session-ended", () => render(room.snapshot)),
      player.onIdle(() => speaking?.refresh()),
      player.onChange(() => {
        voiceNote.hidden = player.voice !== "none";
        render(room.snapshot);
      }),
    );
    parts = { chat, result, turn, lobby, finished, room, comparison };
    page.dataset.roomId = room.roomId;
    setConnection(room.connection);
    render(room.snapshot);
  }

  /** A message that could not go while the connection is restored is not lost silently: the learner is told to send it again. */
  function sentOrSaid(sent: boolean): boolean {
    if (!sent) app.toasts.error(t("notSentReconnecting"), "NOT_SENT");
    return sent;
  }

  function render(synced: LessonSnapshot): void {
    if (!parts || !synced.lesson.id) return;
    const snapshot = withLearnerName(synced, learner!.user.displayName, learner!.user.id);
    const userId = learner!.user.id;
    if (firstSnapshot) {
      firstSnapshot = false;
      const wanted = languageForPack(snapshot.lesson.learnerLanguage);
      if (wanted !== language()) {
        // Opened straight from a link: speak the pack's language.
        setLanguage(wanted);
        app.refreshChrome();
      }
      player.markSaid(serverLinesSaid(snapshot, userId));
    } else {
      // Started part-way (a resumed lesson): not every earlier partner line again before the learner may speak.
      if (snapshot.phase === "running" && lastPhase !== "running") player.markSaid(linesHeardBefore(snapshot, userId));
      player.announce(serverLinesSaid(snapshot, userId));
    }
    lastPhase = snapshot.phase;
    page.dataset.phase = snapshot.phase;
    page.dataset.currentStep = String(snapshot.currentStep);
    title.textContent = snapshot.lesson.title;
    subtitle.textContent = `${levelLabel(snapshot.lesson.level)} · ${snapshot.lesson.pack.toUpperCase()}`;
    const roleNames = Object.fromEntries(Object.entries(details?.roles ?? {}).map(([role, info]) => [role, info.name]));
    const items = conversationFor(snapshot, userId, roleNames);
    parts.chat.update(items, player.currentIndex);
    parts.result.update(snapshot, latestAttemptOf(snapshot, userId));
    parts.comparison.update(latestAttemptOf(snapshot, userId), snapshot);
    const waitingItem = items.find((item) => item.kind === "waiting");
    const line = synced.steps[synced.currentStep];
    const exampleName = line && hasNameSlot(line.korean) ? details?.roles[details.learnerRole]?.exampleName ?? null : null;
    parts.turn.update(snapshot, userId, waitingItem?.kind === "waiting" ? waitingItem.speakerName : null, { exampleName, scoringOff: speechScoringOff(snapshot) });
    renderLobby(parts.lobby, snapshot, parts.room);
    renderFinished(parts.finished, snapshot, parts.room);
    speaking?.refresh();
    keepTurnInView(page, snapshot, userId);
  }

  function renderLobby(lobby: HTMLElement, snapshot: LessonSnapshot, room: RoomSession): void {
    lobby.hidden = snapshot.phase !== "lobby";
    if (lobby.hidden || lobby.dataset.ready === String(!!details)) return;
    lobby.dataset.ready = String(!!details);
    const myRole = snapshot.participants[learner!.user.id]?.dialogueRole ?? details?.learnerRole ?? "";
    const role = details?.roles[myRole];
    setChildren(lobby,
      details?.summary ? h("p", { class: "lobby__summary", text: details.summary }) : null,
      // The learner's role is described in the second person already ("You play yourself, …").
      h("p", { class: "lobby__role", text: role ? role.description : t("lobbyIntro", { role: myRole }) }),
      h("button", {
        type: "button", class: "button button--primary button--large", text: t("start"), dataset: { action: "start" },
        on: {
          click: () => {
            room.send("start");
            // A tap is what lets the browser speak: warm the voice list up now.
            try {
              globalThis.speechSynthesis?.getVoices();
            } catch {
              // no speech synthesis
            }
          },
        },
      }));
  }

  function renderFinished(finished: HTMLElement, snapshot: LessonSnapshot, room: RoomSession): void {
    const over = snapshot.phase === "finished" || room.connection === "ended" || room.connection === "lost";
    finished.hidden = !over;
    if (!over) return;
    const completed = snapshot.phase === "finished" && (room.ended?.completed ?? true);
    const lost = room.connection === "lost" && snapshot.phase !== "finished";
    const progress = snapshot.progress[learner!.user.id];
    // The recap says how many lines were said; a session that ended early says it beside the score.
    const recap = completed ? recapOf(snapshot, learner!.user.id) : null;
    const lines = linesSaid(snapshot, learner!.user.id);
    // The conversation can reach its end with lines skipped: the lesson counts as completed (and gets
    // its star) only once every line of the learner's role has been passed, as the server stores it.
    const passedSteps = new Set(progress?.completedSteps ?? []);
    const mine = learnerLines(snapshot.steps, learnerRole(snapshot, learner!.user.id));
    const allPassed = mine.length > 0 && mine.every((step) => passedSteps.has(step.index));
    const version = JSON.stringify([completed, allPassed, lost, progress?.bestScore, lines, recap]);
    if (finished.dataset.version === version) return;
    finished.dataset.version = version;
    finished.dataset.completed = String(completed);
    setChildren(finished,
      h("h2", {}, completed && allPassed ? icon("star", "icon icon--big") : null,
        completed ? t(allPassed ? "lessonFinished" : "lessonReachedEnd") : lost ? t("connLost") : t("lessonEnded")),
      completed && !allPassed ? h("p", { dataset: { notice: "lines-left" }, text: t("lessonLinesLeft") }) : null,
      progress ? h("p", {}, `${t("bestScore")}: ${progress.bestScore}`,
        recap ? null : ` · ${t("recapLines", { said: lines.done, total: lines.total })}`) : null,
      recap ? renderRecap(recap) : null,
      h("div", { class: "finished__actions" },
        lost ? h("button", { type: "button", class: "button button--primary", text: t("rejoin"), on: { click: () => window.location.reload() } })
          : h("a", { class: "button button--primary", href: "#/progress", text: t("seeProgress") }),
        h("a", { class: "button", href: "#/", text: t("backToLessons") })));
  }

  return async () => {
    disposed = true;
    parts?.result.dispose();
    parts?.comparison.dispose();
    for (const cleanup of cleanups) cleanup();
    player.stop();
    await speaking?.dispose();
    await session?.leave();
  };
}
