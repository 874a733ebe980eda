using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Koto.Live;
using Koto.Live.Core;
using Koto.Schema;
using UnityEngine;
using UnityEngine.EventSystems;
using UnityEngine.UI;

namespace Koto.Live.Samples
{
    /// <summary>
    /// The whole KOTO flow in one script, with a uGUI built in code so the sample needs no prefab:
    /// sign in as a guest (the same learner on the next run, from PlayerPrefs) → pick a lesson → start → answer each of your lines by speaking
    /// (hold-to-talk, or hands-free where the server ends the turn on silence) or by typing → see the
    /// line coloured by syllable, "ㅓ heard as ㅗ" notes, scores and the tip. Add it to an empty
    /// GameObject in an empty scene, set the server URL, press Play.
    /// </summary>
    [AddComponentMenu("KOTO Live/Lesson Demo")]
    public class LessonDemo : MonoBehaviour
    {
        [Tooltip("Your KOTO Live server, path prefix included, e.g. https://example.com/koto-api")]
        public string serverUrl = "http://127.0.0.1:5000";

        [Tooltip("Lesson pack: ko-en (English) or ko-id (Indonesian)")]
        public string pack = "ko-en";

        private KotoClient client;
        private LessonSession session;
        private MicrophoneStreamer microphone;
        private Font font;
        private RectTransform content;
        private Text status;
        private Text lineText;
        private Text resultText;
        private Text conversation;
        private InputField answerField;
        private Button handsFreeButton;
        private readonly List<string> said = new List<string>();

        private void Start()
        {
            font = Resources.GetBuiltinResource<Font>("LegacyRuntime.ttf");
            microphone = gameObject.AddComponent<MicrophoneStreamer>();
            microphone.Failed += error => SetStatus(error.Sentence);        // denied, unsupported, no device
            microphone.NeedsGesture += error => SetStatus(error.Sentence);  // WebGL: click or tap the page first
            BuildCanvas();
            ShowSignIn();
        }

        private void Update()
        {
            // The streamer ticks the session while it captures; tick it here between answers too.
            if (session != null && !microphone.IsCapturing) session.Tick();
        }

        // ---- screens -------------------------------------------------------------------------

        private void ShowSignIn()
        {
            Clear();
            Label("KOTO Live — Korean speaking practice", 30, FontStyle.Bold);
            var name = Field("Your name", PlayerPrefs.GetString("koto.name", ""));
            ButtonRow(new KeyValuePair<string, Action>("Start as a guest", async () =>
            {
                try
                {
                    string displayName = string.IsNullOrEmpty(name.text.Trim()) ? "Guest" : name.text.Trim();
                    PlayerPrefs.SetString("koto.name", displayName);
                    client = new KotoClient(serverUrl);
                    await SignIn(displayName);
                    ShowLessons();
                }
                catch (Exception error)
                {
                    SetStatus(Describe(error));
                }
            }));
            status = Label("", 20, FontStyle.Normal);
        }

        /// <summary>
        /// The same learner as last time when this device has their token (so their progress is there), renamed
        /// if the name changed; a new guest only the first time or when the token no longer works.
        /// </summary>
        private async Task SignIn(string displayName)
        {
            string token = PlayerPrefs.GetString("koto.token", "");
            string user = PlayerPrefs.GetString("koto.user", "");
            if (token.Length > 0 && user.Length > 0)
            {
                client.UseToken(token, JsonUtility.FromJson<UserInfo>(user));
                try
                {
                    if (client.User.displayName != displayName) await client.Rename(displayName);
                    else await client.GetMyProgress();   // the kept token still works
                    RememberSignIn();
                    return;
                }
                catch (KotoException error) when (error.Code.StartsWith("AUTH_TOKEN_"))
                {
                    // Expired, or a learner the server no longer knows: start again as a guest below.
                }
            }
            await client.SignInAsGuest(displayName);
            RememberSignIn();
        }

        private void RememberSignIn()
        {
            PlayerPrefs.SetString("koto.token", client.Token);
            PlayerPrefs.SetString("koto.user", JsonUtility.ToJson(client.User));
        }

        private async void ShowLessons()
        {
            Clear();
            Label("Hello, " + client.User.displayName + "! Choose a lesson:", 26, FontStyle.Bold);
            status = Label("Loading lessons…", 20, FontStyle.Normal);
            try
            {
                var catalog = await client.GetLessons(pack);
                var progress = await client.GetMyProgress();
                var best = new Dictionary<string, int>();
                foreach (var entry in progress.progress) best[entry.lessonId] = entry.bestScore;
                SetStatus("");
                foreach (var lesson in catalog.lessons)
                {
                    string id = lesson.id;
                    string score = best.ContainsKey(id) ? "  (best " + best[id] + ")" : "";
                    ButtonRow(new KeyValuePair<string, Action>(lesson.title + " · " + lesson.level + score, () => Play(id)));
                }
            }
            catch (Exception error)
            {
                SetStatus(Describe(error));
            }
        }

        private async void Play(string lessonId)
        {
            Clear();
            status = Label("Opening the lesson…", 20, FontStyle.Normal);
            try
            {
                session = await client.StartLesson(lessonId);
            }
            catch (Exception error)
            {
                SetStatus(Describe(error));
                return;
            }
            said.Clear();
            conversation = Label("", 22, FontStyle.Normal);
            lineText = Label("", 34, FontStyle.Bold);
            resultText = Label("", 24, FontStyle.Normal);
            answerField = Field("…or type your answer", "");

            var talk = ButtonRow(
                new KeyValuePair<string, Action>("Hold to talk", null),
                new KeyValuePair<string, Action>("Speak (hands-free)", () => microphone.Speak(session, UtteranceMode.HandsFree)),
                new KeyValuePair<string, Action>("Send typed answer", () => { session.Answer(answerField.text); answerField.text = ""; }),
                new KeyValuePair<string, Action>("Hint", () => session.Hint()),
                new KeyValuePair<string, Action>("Skip", () => session.Next()),
                new KeyValuePair<string, Action>("Leave", () => { session.Leave(); session = null; ShowLessons(); }));
            // Push-to-talk starts on pointer down (on WebGL that is the gesture that unlocks the microphone).
            var hold = talk[0].gameObject.AddComponent<PushToTalkButton>();
            hold.Pressed += () => microphone.Speak(session, UtteranceMode.PushToTalk);
            hold.Released += () => microphone.Release();
            handsFreeButton = talk[1];

            session.StepChanged += (index, line, mine) =>
            {
                lineText.text = mine ? line.korean + "\n<size=20>" + line.romanization + " — " + line.translation + "</size>" : "";
                resultText.text = "";
                SetStatus(mine ? "Your turn: say the line." : "Listen…");
            };
            session.PartnerLine += line =>
            {
                said.Add("<b>" + line.speaker + ":</b> " + line.korean + "  <i>" + line.translation + "</i>");
                conversation.text = string.Join("\n", said.ToArray());
            };
            session.AttemptUpdated += ShowAttempt;
            session.HintShown += hint => SetStatus("Hint: " + hint);
            session.TutorHintReceived += (from, text) => SetStatus(from + ": " + text);
            session.UtteranceChanged += utterance =>
            {
                handsFreeButton.interactable = utterance.IsFinished;
                if (utterance.State == UtteranceState.Streaming) SetStatus("Listening… speak now");
                else if (utterance.State == UtteranceState.Failed) SetStatus(ProtocolErrors.SentenceFor(utterance.Reason, utterance.FailureMessage));
            };
            session.Error += error => SetStatus(error.Sentence);
            session.TutorMoved += move => SetStatus(move.by + (move.IsBack ? " took the lesson back a line." : " moved the lesson on."));
            session.ConnectionChanged += connection =>
            {
                if (connection == SessionConnection.Reconnecting) SetStatus("Connection lost, reconnecting…");
                else if (connection == SessionConnection.Connected) SetStatus("Back online.");
                // Lost: the Error event has just said why; offer the way back to the list.
                else if (connection == SessionConnection.Lost) ButtonRow(new KeyValuePair<string, Action>("Back to the lessons", () => { session = null; ShowLessons(); }));
            };
            session.SessionEnded += completed => SetStatus(completed ? "Lesson complete! 잘했어요!" : "The session has ended.");
            session.Start();
        }

        private void ShowAttempt(AttemptView attempt)
        {
            var text = new List<string> { attempt.ToRichText(), attempt.StatusLine };
            if (attempt.Status == AttemptStatuses.Scored)
            {
                text.Add("accuracy " + attempt.Accuracy + " · completeness " + attempt.Completeness + (attempt.HasFluency ? " · fluency " + attempt.Fluency : ""));
                text.AddRange(attempt.ProblemNotes());
                if (!string.IsNullOrEmpty(attempt.Feedback)) text.Add("<i>" + attempt.Feedback + "</i>");
            }
            if (attempt.IsTutorGraded) text.Add("Tutor: " + attempt.TutorScore + "/100");
            resultText.text = string.Join("\n", text.ToArray());
        }

        private static string Describe(Exception error)
        {
            // Players see the protocol's sentence for the code, never a code or the server's raw message.
            var koto = error as KotoException;
            return koto != null ? koto.Error.Sentence : "Something went wrong; please try again.";
        }

        // ---- a small uGUI kit ------------------------------------------------------------------

        private void BuildCanvas()
        {
            var canvasObject = new GameObject("KOTO Canvas");
            var canvas = canvasObject.AddComponent<Canvas>();
            canvas.renderMode = RenderMode.ScreenSpaceOverlay;
            var scaler = canvasObject.AddComponent<CanvasScaler>();
            scaler.uiScaleMode = CanvasScaler.ScaleMode.ScaleWithScreenSize;
            scaler.referenceResolution = new Vector2(1280, 800);
            canvasObject.AddComponent<GraphicRaycaster>();
#if UNITY_2023_1_OR_NEWER
            bool hasEventSystem = UnityEngine.Object.FindFirstObjectByType<EventSystem>() != null;
#else
            bool hasEventSystem = UnityEngine.Object.FindObjectOfType<EventSystem>() != null;
#endif
            if (!hasEventSystem)
            {
                var events = new GameObject("EventSystem");
                events.AddComponent<EventSystem>();
                events.AddComponent<StandaloneInputModule>();
            }
            var panel = new GameObject("Content", typeof(RectTransform));
            panel.transform.SetParent(canvasObject.transform, false);
            content = panel.GetComponent<RectTransform>();
            content.anchorMin = new Vector2(0.05f, 0.05f);
            content.anchorMax = new Vector2(0.95f, 0.95f);
            content.offsetMin = Vector2.zero;
            content.offsetMax = Vector2.zero;
            var layout = panel.AddComponent<VerticalLayoutGroup>();
            layout.spacing = 12;
            layout.childControlHeight = true;
            layout.childControlWidth = true;
            layout.childForceExpandHeight = false;
            layout.childAlignment = TextAnchor.UpperLeft;
        }

        private void Clear()
        {
            foreach (Transform child in content) Destroy(child.gameObject);
        }

        private void SetStatus(string text)
        {
            if (status != null) status.text = text ?? "";
        }

        private Text Label(string text, int size, FontStyle style)
        {
            var label = new GameObject("Label", typeof(RectTransform)).AddComponent<Text>();
            label.transform.SetParent(content, false);
            label.font = font;
            label.fontSize = size;
            label.fontStyle = style;
            label.supportRichText = true;
            label.color = Color.black;
            label.text = text;
            label.gameObject.AddComponent<ContentSizeFitter>().verticalFit = ContentSizeFitter.FitMode.PreferredSize;
            return label;
        }

        private InputField Field(string placeholder, string value)
        {
            var box = new GameObject("Field", typeof(RectTransform));
            box.transform.SetParent(content, false);
            box.AddComponent<Image>().color = new Color(0.95f, 0.95f, 0.95f);
            box.AddComponent<LayoutElement>().minHeight = 44;
            var field = box.AddComponent<InputField>();
            var text = new GameObject("Text", typeof(RectTransform)).AddComponent<Text>();
            text.transform.SetParent(box.transform, false);
            Stretch(text.GetComponent<RectTransform>());
            text.font = font;
            text.fontSize = 22;
            text.color = Color.black;
            text.supportRichText = false;
            var hint = new GameObject("Placeholder", typeof(RectTransform)).AddComponent<Text>();
            hint.transform.SetParent(box.transform, false);
            Stretch(hint.GetComponent<RectTransform>());
            hint.font = font;
            hint.fontSize = 22;
            hint.color = new Color(0.5f, 0.5f, 0.5f);
            hint.text = placeholder;
            field.textComponent = text;
            field.placeholder = hint;
            field.text = value;
            return field;
        }

        private List<Button> ButtonRow(params KeyValuePair<string, Action>[] buttons)
        {
            var row = new GameObject("Row", typeof(RectTransform));
            row.transform.SetParent(content, false);
            var layout = row.AddComponent<HorizontalLayoutGroup>();
            layout.spacing = 10;
            layout.childForceExpandWidth = false;
            row.AddComponent<LayoutElement>().minHeight = 48;
            var made = new List<Button>();
            foreach (var pair in buttons)
            {
                var buttonObject = new GameObject(pair.Key, typeof(RectTransform));
                buttonObject.transform.SetParent(row.transform, false);
                buttonObject.AddComponent<Image>().color = new Color(0.16f, 0.38f, 0.82f);
                var button = buttonObject.AddComponent<Button>();
                var action = pair.Value;
                if (action != null) button.onClick.AddListener(() => action());
                var caption = new GameObject("Caption", typeof(RectTransform)).AddComponent<Text>();
                caption.transform.SetParent(buttonObject.transform, false);
                Stretch(caption.GetComponent<RectTransform>());
                caption.font = font;
                caption.fontSize = 20;
                caption.alignment = TextAnchor.MiddleCenter;
                caption.color = Color.white;
                caption.text = pair.Key;
                var element = buttonObject.AddComponent<LayoutElement>();
                element.minHeight = 48;
                element.preferredWidth = 24 + pair.Key.Length * 11;
                made.Add(button);
            }
            return made;
        }

        private static void Stretch(RectTransform rect)
        {
            rect.anchorMin = Vector2.zero;
            rect.anchorMax = Vector2.one;
            rect.offsetMin = new Vector2(8, 4);
            rect.offsetMax = new Vector2(-8, -4);
        }
    }

    /// <summary>Hold-to-talk: pointer down starts the utterance, pointer up releases it.</summary>
    public class PushToTalkButton : MonoBehaviour, IPointerDownHandler, IPointerUpHandler
    {
        public event Action Pressed;
        public event Action Released;

        public void OnPointerDown(PointerEventData eventData)
        {
            var handler = Pressed;
            if (handler != null) handler();
        }

        public void OnPointerUp(PointerEventData eventData)
        {
            var handler = Released;
            if (handler != null) handler();
        }
    }
}
