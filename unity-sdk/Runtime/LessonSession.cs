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
        // The Colyseus SDK's close code for "reconnection failed" (or, on WebGL, not attempted).
        private const int CloseFailedToReconnect = 4003;

        private enum WayBack { ReconnectSeat, Resume, JoinById }

        private readonly KotoClient client;
        private readonly string lessonId;
        private readonly ReconnectPolicy reconnect;
        private WayBack wayBack;
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
            reconnect = SessionMoves.NewPolicy();
            Bind(room);
        }

        public string RoomId { get { return room.RoomId; } }
        public LessonState State { get { return room.State; } }
        public string MyUserId { get { return client.User != null ? client.User.id : null; } }
        public Utterance CurrentUtterance { get { return utterance; } }
        public bool IsConnected { get { return room.Connection != null && room.Connection.IsOpen; } }
        public ReconnectPolicy Reconnection { get { return reconnect; } }

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
        public event Action<bool> SessionEnded;
        public event Action<Utterance> UtteranceChanged;
        /// <summary>A typed answer was stored (attempt id, and whether it was a resend of one already stored).</summary>
        public event Action<string, bool> AnswerAccepted;
        /// <summary>Another learner (pair practice) started speaking.</summary>
        public event Action<string> PartnerSpeaking;
        /// <summary>The socket dropped; the SDK or this session is trying to get back.</summary>
        public event Action<int> Dropped;
        /// <summary>The Colyseus SDK reconnected the same room object.</summary>
        public event Action Reconnected;
        /// <summary>This session got back with a new room object: its seat after the SDK gave up (always the path on WebGL), or the session moved to another process.</summary>
        public event Action Resumed;
        /// <summary>The server is stopping (deploy, restart): show one "reconnecting" notice; the session moves by itself. The argument is resumeWithinMs.</summary>
        public event Action<int> ServerDraining;
        /// <summary>The session is over for this client (left, kicked, or reconnection gave up), with the close code.</summary>
        public event Action<int> Left;
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

        /// <summary>Starts a spoken answer to the current step. Feed it with <see cref="MicrophoneStreamer"/> (or <see cref="PushFrame"/>).</summary>
        public Utterance BeginSpeaking(UtteranceMode mode)
        {
            if (utterance != null && !utterance.IsFinished) throw new InvalidOperationException("already speaking: release or wait for the end first");
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
            if (!reconnect.IsDue(nowMs))
            {
                if (reconnect.Phase == ReconnectPhase.GaveUp && !ended) GiveUp();
                return;
            }
            try
            {
                Room<LessonState> back;
                if (wayBack == WayBack.ReconnectSeat) back = await client.Reconnect(room.ReconnectionToken);
                else if (wayBack == WayBack.Resume && lessonId != null) back = await client.Resume(lessonId, sessionId);
                else back = await client.JoinExisting(sessionId);
                reconnect.Succeeded();
                Bind(back);
                Raise(Resumed);
            }
            catch (KotoException error)
            {
                ResumeStep step = SessionMoves.AfterRefusal(error.Code);
                if (wayBack == WayBack.ReconnectSeat && step != ResumeStep.GiveUp && error.Code != ErrorCodes.NetworkError)
                {
                    // The held seat is gone (its process stopped or died): bring the session back instead.
                    step = ResumeStep.Retry;
                    wayBack = WayBack.Resume;
                }
                else if (step == ResumeStep.JoinById) wayBack = WayBack.JoinById;
                else if (step == ResumeStep.ReconnectSeat) wayBack = WayBack.ReconnectSeat;
                reconnect.Failed(NowMs(), step == ResumeStep.GiveUp);
                if (reconnect.Phase == ReconnectPhase.GaveUp) GiveUp();
            }
        }

        public async void Leave()
        {
            leaving = true;
            if (utterance != null) utterance.Release();
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
#if UNITY_WEBGL && !UNITY_EDITOR
            // The SDK's own retry loop waits with Task.Delay, which may never resume on WebGL: let it
            // give up at once and reconnect from Tick() instead.
            room.Reconnection.MaxRetries = 0;
#endif
            room.OnStateChange += OnStateChange;
            room.OnDrop += code =>
            {
                if (utterance != null) utterance.OnConnectionLost();
                var handler = Dropped;
                if (handler != null) handler(code);
            };
            room.OnReconnect += () =>
            {
                reconnect.Succeeded();
                Raise(Reconnected);
            };
            room.OnLeave += OnLeave;
            room.OnError += (code, message) => RaiseError(new KotoError(ErrorCodes.NetworkError, message));

            room.OnMessage<UtteranceOpenedMessage>(MessageTypes.UtteranceOpened, message =>
            {
                if (utterance != null) utterance.OnOpened(message.attemptId);
            });
            room.OnMessage<UtteranceEndedMessage>(MessageTypes.UtteranceEnded, message =>
            {
                if (utterance != null) utterance.OnEnded(message.attemptId, message.reason);
            });
            room.OnMessage<RoomErrorMessage>(MessageTypes.Error, message =>
            {
                if (utterance != null) utterance.OnError(message.code, message.message, message.type);
                RaiseError(new KotoError(message.code, message.message, message.retryAfterMs));
            });
            room.OnMessage<AttemptAcceptedMessage>(MessageTypes.AttemptAccepted, message =>
            {
                var handler = AnswerAccepted;
                if (handler != null) handler(message.attemptId, message.duplicate);
            });
            room.OnMessage<SessionEndedMessage>(MessageTypes.SessionEnded, message =>
            {
                ended = true;
                var handler = SessionEnded;
                if (handler != null) handler(message.completed);
            });
            room.OnMessage<ServerDrainingMessage>(MessageTypes.ServerDraining, message =>
            {
                var handler = ServerDraining;
                if (handler != null) handler(message.resumeWithinMs);
            });
            room.OnMessage<TutorHintMessage>(MessageTypes.TutorHint, message =>
            {
                var handler = TutorHintReceived;
                if (handler != null) handler(message.from, message.text);
            });
            room.OnMessage<UtteranceStartedMessage>(MessageTypes.UtteranceStarted, message =>
            {
                var handler = PartnerSpeaking;
                if (handler != null) handler(message.learnerId);
            });
            // Live audio of the other learner (pair practice) or for tutors; this package does not play it.
            room.OnMessage<byte[]>(MessageTypes.LearnerAudio, bytes => { });
        }

        private void OnLeave(int code)
        {
            if (!leaving && !ended && (code == SessionMoves.MovingCloseCode || code == CloseFailedToReconnect))
            {
                // Moving (its process is stopping): resume it elsewhere. SDK gave up (or, on WebGL, never
                // tried): take the seat back, then resume if the seat is gone. Both on the game clock.
                if (utterance != null) utterance.OnConnectionLost();
                wayBack = code == SessionMoves.MovingCloseCode ? WayBack.Resume : WayBack.ReconnectSeat;
                if (code == SessionMoves.MovingCloseCode)
                {
                    var dropped = Dropped;
                    if (dropped != null) dropped(code);
                }
                reconnect.Dropped(NowMs());
                return;
            }
            var handler = Left;
            if (handler != null) handler(code);
        }

        private void GiveUp()
        {
            ended = true;
            RaiseError(new KotoError(ErrorCodes.ConnectionLost, "reconnection gave up"));
            var handler = Left;
            if (handler != null) handler(CloseFailedToReconnect);
        }

        private void OnStateChange(LessonState state, bool isFirstState)
        {
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
