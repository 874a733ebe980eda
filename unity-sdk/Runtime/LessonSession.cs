using System;
using System.Collections.Generic;
using Colyseus;
using Koto.Live.Core;
using Koto.Schema;
using UnityEngine;
using UnityEngine.Scripting;

namespace Koto.Live
{
    /// <summary>
    /// One lesson room seen from Unity: typed C# events made from the synced state and the room's
    /// messages, and the learner's actions (start, typed answer, hint, next, speaking). Call
    /// <see cref="Tick()"/> every frame (Update or a coroutine): it drives the utterance's open timeout
    /// and reconnection from the game clock, which keeps both working on WebGL.
    /// </summary>
    [Preserve]
    public class LessonSession
    {
        private readonly KotoClient client;
        private readonly SessionRecovery recovery;
        // Given when this client opened the lesson, else read from the state: resuming the session needs it.
        private string lessonId;
        private string sessionId;
        private Room<LessonState> room;
        private Utterance utterance;
        private bool ended;
        private bool leaving;

        // Outlives room objects, so a resumed session does not repeat old news.
        private readonly LessonChangeTracker tracker = new LessonChangeTracker();

        internal LessonSession(KotoClient client, Room<LessonState> room, string lessonId)
        {
            this.client = client;
            this.lessonId = lessonId;
            recovery = new SessionRecovery(SessionMoves.NewPolicy());
            recovery.ConnectionChanged += connection =>
            {
                var handler = ConnectionChanged;
                if (handler != null) handler(connection);
            };
            Bind(room);
        }

        public string RoomId { get { return room.RoomId; } }
        public LessonState State { get { return room.State; } }
        public string MyUserId { get { return client.User != null ? client.User.id : null; } }
        public Utterance CurrentUtterance { get { return utterance; } }
        public bool IsConnected { get { return room.Connection != null && room.Connection.IsOpen; } }
        public ReconnectPolicy Reconnection { get { return recovery.Policy; } }

        /// <summary>Connected, reconnecting (show one notice), lost (getting back failed) or ended.</summary>
        public SessionConnection Connection { get { return recovery.Connection; } }

        /// <summary>The lesson this session is on; empty until the first state when the room was joined by id.</summary>
        public string LessonId { get { return lessonId ?? ""; } }

        /// <summary>Every patch (and the first full state).</summary>
        public event Action<LessonState> StateSynced;
        /// <summary>The conversation moved: the step index, its line, and whether it is this learner's line to say.</summary>
        public event Action<int, DialogueStep, bool> StepChanged;
        /// <summary>A line the other side said (the server or the pair partner): play or show it.</summary>
        public event Action<DialogueStep> PartnerLine;
        public event Action<string> PhaseChanged;
        /// <summary>Any change to one of this learner's attempts (status, score, syllables, tutor grade).</summary>
        public event Action<AttemptView> AttemptUpdated;
        public event Action<AttemptView> AttemptScored;
        public event Action<AttemptView> AttemptFailed;
        /// <summary>A tutor graded an attempt by hand (<see cref="AttemptView.TutorScore"/>).</summary>
        public event Action<AttemptView> TutorGraded;
        /// <summary>A hint: the text from <c>hint</c>, or a tutor's (sender's name, text).</summary>
        public event Action<string> HintShown;
        public event Action<string, string> TutorHintReceived;
        /// <summary>A tutor moved the lesson to another line (<c>tutor-moved</c>): tell the learner why their line changed. <see cref="StepChanged"/> follows with the line.</summary>
        public event Action<TutorMovedMessage> TutorMoved;
        public event Action<bool> SessionEnded;
        public event Action<Utterance> UtteranceChanged;
        /// <summary>A typed answer was stored (attempt id, and whether it was a resend of one already stored).</summary>
        public event Action<string, bool> AnswerAccepted;
        /// <summary>Another learner (pair practice) started speaking.</summary>
        public event Action<string> PartnerSpeaking;
        /// <summary>The socket dropped or closed (with this close code) and this session is trying to get back; <see cref="Connection"/> is Reconnecting.</summary>
        public event Action<int> Dropped;
        /// <summary>The Colyseus SDK reconnected the same room object.</summary>
        public event Action Reconnected;
        /// <summary>This session got back with a new room object: its seat after the SDK gave up (always the path on WebGL), or the session moved to another process.</summary>
        public event Action Resumed;
        /// <summary>The server is stopping (deploy, restart): show one "reconnecting" notice; the session moves by itself. The argument is resumeWithinMs.</summary>
        public event Action<int> ServerDraining;
        /// <summary>The session is over for this client (left, ended, or getting back gave up: 4003 with an Error), with the close code.</summary>
        public event Action<int> Left;
        /// <summary>Every change of <see cref="Connection"/>: one place to drive a "reconnecting…" notice and a "lost" screen.</summary>
        public event Action<SessionConnection> ConnectionChanged;
        /// <summary>An error for this client: from the room (<c>error</c>), from reconnection, or from the SDK.</summary>
        public event Action<KotoError> Error;

        public void Start()
        {
            room.Send(MessageTypes.Start);
        }

        /// <summary>A typed answer to the current step; returns its attempt id (see <see cref="AnswerAccepted"/>).</summary>
        public string Answer(string text)
        {
            string attemptId = AttemptIds.New();
            room.Send(MessageTypes.Answer, new Dictionary<string, object>
            {
                { "text", text },
                { "step", (int)room.State.currentStep },
                { "attemptId", attemptId },
            });
            return attemptId;
        }

        public void Hint()
        {
            room.Send(MessageTypes.Hint);
        }

        public void Next()
        {
            room.Send(MessageTypes.Next);
        }

        /// <summary>
        /// Starts a spoken answer to the current step. Feed it with <see cref="MicrophoneStreamer"/> (or <see cref="PushFrame"/>).
        /// While one is under way (a second press, a hands-free answer still open) this raises <see cref="Error"/> with
        /// <c>UTTERANCE_ALREADY_OPEN</c> and returns the one under way.
        /// </summary>
        public Utterance BeginSpeaking(UtteranceMode mode)
        {
            KotoError refusal = Utterance.RefusalToStart(utterance);
            if (refusal != null)
            {
                RaiseError(refusal);
                return utterance;
            }
            utterance = new Utterance(new RoomTransport(this), AttemptIds.New(), room.State.currentStep, mode);
            utterance.StateChanged += changed =>
            {
                var handler = UtteranceChanged;
                if (handler != null) handler(changed);
            };
            utterance.Open(NowMs());
            return utterance;
        }

        /// <summary>A 20 ms frame of 16 kHz PCM16 for the current utterance.</summary>
        public void PushFrame(short[] samples)
        {
            if (utterance != null) utterance.Push(samples);
        }

        /// <summary>Push-to-talk release, or "stop" in hands-free.</summary>
        public void ReleaseSpeaking()
        {
            if (utterance != null) utterance.Release();
        }

        public void Tick()
        {
            Tick(NowMs());
        }

        public async void Tick(double nowMs)
        {
            if (utterance != null) utterance.Tick(nowMs);
            RecoveryAction action = recovery.Poll(nowMs);
            if (action == RecoveryAction.GiveUp) GiveUp();
            if (action != RecoveryAction.Try) return;
            try
            {
                Room<LessonState> back;
                WayBack way = recovery.NextWay(!string.IsNullOrEmpty(lessonId));
                if (way == WayBack.ReconnectSeat) back = await client.Reconnect(room.ReconnectionToken);
                else if (way == WayBack.Resume) back = await client.Resume(lessonId, sessionId);
                else back = await client.JoinExisting(sessionId);
                if (leaving)
                {
                    // The player left while the try was under way: do not take the seat back.
                    await back.Leave(true);
                    return;
                }
                Bind(back);
                recovery.Succeeded();
                Raise(Resumed);
            }
            catch (KotoException error)
            {
                bool final = recovery.Refused(error.Code, NowMs());
                if (recovery.Poll(NowMs()) == RecoveryAction.GiveUp) GiveUp(final ? error.Error : null);
            }
        }

        public async void Leave()
        {
            leaving = true;
            if (utterance != null) utterance.Release();
            bool gettingBack = recovery.Connection == SessionConnection.Reconnecting;
            recovery.Closed(SessionMoves.ConsentedCloseCode, true, NowMs());
            if (gettingBack)
            {
                // The room's socket is closed and will not report a leave: end here, so no try takes the seat back.
                var handler = Left;
                if (handler != null) handler(SessionMoves.ConsentedCloseCode);
                return;
            }
            await room.Leave(true);
        }

        /// <summary>The learner's view of an attempt from the synced state.</summary>
        public static AttemptView ViewOf(Attempt attempt)
        {
            var syllables = new List<SyllableInput>();
            for (int index = 0; index < attempt.syllables.Count; index++)
            {
                var syllable = attempt.syllables[index];
                syllables.Add(new SyllableInput(syllable.index, syllable.target, syllable.heard, syllable.verdict, syllable.jamo));
            }
            return AttemptView.Build(attempt.id, attempt.status, attempt.correct, attempt.passed, attempt.overall, attempt.accuracy, attempt.completeness,
                attempt.fluency, attempt.tutorScore, attempt.feedback, attempt.failureCode, attempt.failureReason, syllables);
        }

        public Participant Me()
        {
            string id = MyUserId;
            return id != null && room.State.participants.ContainsKey(id) ? room.State.participants[id] : null;
        }

        public bool IsMyTurn()
        {
            var me = Me();
            var state = room.State;
            return me != null && state.phase == "running" && state.currentStep >= 0 && state.currentStep < state.steps.Count
                && state.steps[state.currentStep].speaker == me.dialogueRole;
        }

        private void Bind(Room<LessonState> joined)
        {
            room = joined;
            sessionId = joined.RoomId;
            // The SDK retries a drop a few times by itself, then gives up (4003) and Tick takes over, which
            // can also resume the session on another process when this one died (SessionMoves.SdkMaxRetries).
            joined.Reconnection.MaxRetries = SessionMoves.SdkMaxRetries;
            joined.Reconnection.MinUptime = SessionMoves.SdkMinUptimeMs;
#if UNITY_WEBGL && !UNITY_EDITOR
            // The SDK's own retry loop waits with Task.Delay, which may never resume on WebGL: let it
            // give up at once and reconnect from Tick() instead.
            joined.Reconnection.MaxRetries = 0;
#endif
            // A room this session has moved on from (a resume gave it a new one) may still report its end: not news.
            joined.OnStateChange += (state, isFirstState) =>
            {
                if (joined == room) OnStateChange(state, isFirstState);
            };
            joined.OnDrop += code =>
            {
                if (joined != room) return;
                if (utterance != null) utterance.OnConnectionLost();
                recovery.SdkDropped();
                var handler = Dropped;
                if (handler != null) handler(code);
            };
            joined.OnReconnect += () =>
            {
                if (joined != room) return;
                if (leaving)
                {
                    // The SDK got the seat back after the player left: give it up again.
                    joined.Leave(true);
                    return;
                }
                recovery.SdkReconnected();
                Raise(Reconnected);
            };
            joined.OnLeave += code =>
            {
                if (joined == room) OnLeave(code);
            };
            joined.OnError += (code, message) =>
            {
                if (joined == room) RaiseError(new KotoError(ErrorCodes.NetworkError, message));
            };

            joined.OnMessage<UtteranceOpenedMessage>(MessageTypes.UtteranceOpened, message =>
            {
                if (utterance != null) utterance.OnOpened(message.attemptId);
            });
            joined.OnMessage<UtteranceEndedMessage>(MessageTypes.UtteranceEnded, message =>
            {
                if (utterance != null) utterance.OnEnded(message.attemptId, message.reason);
            });
            joined.OnMessage<RoomErrorMessage>(MessageTypes.Error, message =>
            {
                if (utterance != null) utterance.OnError(message.code, message.message, message.type);
                RaiseError(new KotoError(message.code, message.message, message.retryAfterMs));
            });
            joined.OnMessage<AttemptAcceptedMessage>(MessageTypes.AttemptAccepted, message =>
            {
                var handler = AnswerAccepted;
                if (handler != null) handler(message.attemptId, message.duplicate);
            });
            joined.OnMessage<SessionEndedMessage>(MessageTypes.SessionEnded, message =>
            {
                ended = true;
                var handler = SessionEnded;
                if (handler != null) handler(message.completed);
            });
            joined.OnMessage<ServerDrainingMessage>(MessageTypes.ServerDraining, message =>
            {
                var handler = ServerDraining;
                if (handler != null) handler(message.resumeWithinMs);
            });
            joined.OnMessage<TutorHintMessage>(MessageTypes.TutorHint, message =>
            {
                var handler = TutorHintReceived;
                if (handler != null) handler(message.from, message.text);
            });
            joined.OnMessage<TutorMovedMessage>(MessageTypes.TutorMoved, message =>
            {
                var handler = TutorMoved;
                if (handler != null) handler(message);
            });
            joined.OnMessage<UtteranceStartedMessage>(MessageTypes.UtteranceStarted, message =>
            {
                var handler = PartnerSpeaking;
                if (handler != null) handler(message.learnerId);
            });
            // Live audio of the other learner (pair practice) or for tutors; this package does not play it.
            joined.OnMessage<byte[]>(MessageTypes.LearnerAudio, bytes => { });
        }

        private void OnLeave(int code)
        {
            bool wasConnected = recovery.Connection == SessionConnection.Connected;
            if (recovery.Closed(code, leaving || ended, NowMs()))
            {
                // Worth getting back (moving, the SDK gave up or never tried, an abnormal close): Tick does it.
                if (utterance != null) utterance.OnConnectionLost();
                var dropped = Dropped;
                if (wasConnected && dropped != null) dropped(code);
                return;
            }
            var handler = Left;
            if (handler != null) handler(code);
        }

        /// <summary>Getting back failed for good: the final refusal when there was one, else CONNECTION_LOST (out of time).</summary>
        private void GiveUp(KotoError refusal = null)
        {
            RaiseError(refusal ?? new KotoError(ErrorCodes.ConnectionLost, "getting back into the session gave up"));
            var handler = Left;
            if (handler != null) handler(SessionMoves.FailedToReconnectCloseCode);
        }

        private void OnStateChange(LessonState state, bool isFirstState)
        {
            if (state.lesson != null && !string.IsNullOrEmpty(state.lesson.id)) lessonId = state.lesson.id;
            foreach (var change in tracker.Observe(Snapshot(state))) Dispatch(change, state);
            var synced = StateSynced;
            if (synced != null) synced(state);
        }

        /// <summary>Copies what the change tracker needs out of the synced state.</summary>
        private LessonSnapshot Snapshot(LessonState state)
        {
            string myId = MyUserId;
            var me = Me();
            var snapshot = new LessonSnapshot
            {
                Phase = state.phase,
                CurrentStep = state.currentStep,
                StepSpeakers = new string[state.steps.Count],
                MyRole = me != null && me.role == "learner" ? me.dialogueRole : "",
                MyLastHint = myId != null && state.progress.ContainsKey(myId) ? state.progress[myId].lastHint : "",
            };
            for (int index = 0; index < state.steps.Count; index++) snapshot.StepSpeakers[index] = state.steps[index].speaker;
            for (int index = 0; index < state.attempts.Count; index++)
            {
                var attempt = state.attempts[index];
                if (attempt.learnerId == myId) snapshot.MyAttempts.Add(new AttemptSnapshot(attempt.id, attempt.status, attempt.tutorScore, attempt.syllables.Count));
            }
            return snapshot;
        }

        private void Dispatch(LessonChange change, LessonState state)
        {
            switch (change.Kind)
            {
                case LessonChangeKind.PhaseChanged:
                    if (PhaseChanged != null) PhaseChanged(change.Text);
                    break;
                case LessonChangeKind.StepChanged:
                    if (StepChanged != null) StepChanged(change.Step, state.steps[change.Step], IsMyTurn());
                    break;
                case LessonChangeKind.PartnerLine:
                    if (PartnerLine != null) PartnerLine(state.steps[change.Step]);
                    break;
                case LessonChangeKind.HintShown:
                    if (HintShown != null) HintShown(change.Text);
                    break;
                default:
                    var view = ViewOf(FindAttempt(state, change.AttemptId));
                    if (change.Kind == LessonChangeKind.AttemptUpdated) Raise(AttemptUpdated, view);
                    else if (change.Kind == LessonChangeKind.AttemptScored) Raise(AttemptScored, view);
                    else if (change.Kind == LessonChangeKind.AttemptFailed) Raise(AttemptFailed, view);
                    else if (change.Kind == LessonChangeKind.TutorGraded) Raise(TutorGraded, view);
                    break;
            }
        }

        private static Attempt FindAttempt(LessonState state, string id)
        {
            for (int index = 0; index < state.attempts.Count; index++)
            {
                if (state.attempts[index].id == id) return state.attempts[index];
            }
            return null;
        }

        private void RaiseError(KotoError error)
        {
            var handler = Error;
            if (handler != null) handler(error);
        }

        private static void Raise(Action handler)
        {
            if (handler != null) handler();
        }

        private static void Raise(Action<AttemptView> handler, AttemptView view)
        {
            if (handler != null) handler(view);
        }

        private static double NowMs()
        {
            return Time.realtimeSinceStartupAsDouble * 1000.0;
        }

        /// <summary>The utterance's way out: the room, skipping audio while the socket is closed.</summary>
        private sealed class RoomTransport : IUtteranceTransport
        {
            private readonly LessonSession session;

            public RoomTransport(LessonSession session)
            {
                this.session = session;
            }

            public void SendOpen(UtteranceOpenRequest request)
            {
                session.room.Send(MessageTypes.UtteranceOpen, new Dictionary<string, object>
                {
                    { "codec", request.codec },
                    { "sampleRate", request.sampleRate },
                    { "step", request.step },
                    { "attemptId", request.attemptId },
                    { "mode", request.mode },
                });
            }

            public void SendAudio(byte[] frame)
            {
                // The SDK queues sends while closed (10 at most, oldest dropped) and would replay stale
                // audio after a reconnect; the server ends the utterance on a drop anyway.
                if (!session.IsConnected) return;
                session.room.SendBytes(MessageTypes.Audio, frame);
            }

            public void SendClose()
            {
                session.room.Send(MessageTypes.UtteranceClose);
            }
        }
    }
}
