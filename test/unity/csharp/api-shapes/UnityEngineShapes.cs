// Test-only: the signatures of the UnityEngine API members the KOTO runtime and sample call, taken
// from Unity 2022.3's scripting reference, with empty bodies. Compiling unity-sdk/Runtime and the
// sample against these catches our own mistakes (typos, wrong types, C# beyond 7.2); it cannot catch
// a mismatch between these shapes and the real engine — only the Unity editor can (see README).
using System;
using System.Collections.Generic;

namespace UnityEngine
{
    public class Object
    {
        public string name;
        public static void Destroy(Object target) { }
        public static T FindObjectOfType<T>() where T : Object { return null; }
    }

    public class Component : Object
    {
        public GameObject gameObject { get { return null; } }
        public Transform transform { get { return null; } }
        public T GetComponent<T>() { return default(T); }
    }

    public class Transform : Component, System.Collections.IEnumerable
    {
        public System.Collections.IEnumerator GetEnumerator() { return new Transform[0].GetEnumerator(); }
        public void SetParent(Transform parent, bool worldPositionStays) { }
    }

    public class RectTransform : Transform
    {
        public Vector2 anchorMin;
        public Vector2 anchorMax;
        public Vector2 offsetMin;
        public Vector2 offsetMax;
        public Vector2 sizeDelta;
        public Vector2 pivot;
        public Vector2 anchoredPosition;
    }

    public class GameObject : Object
    {
        public GameObject(string name, params Type[] components) { }
        public T AddComponent<T>() where T : Component { return null; }
        public T GetComponent<T>() { return default(T); }
        public Transform transform { get { return null; } }
        public void SetActive(bool value) { }
    }

    public class Behaviour : Component
    {
        public bool enabled;
    }

    public class MonoBehaviour : Behaviour
    {
        public Coroutine StartCoroutine(System.Collections.IEnumerator routine) { return null; }
    }

    public class Coroutine { }

    public struct Vector2
    {
        public float x, y;
        public Vector2(float x, float y) { this.x = x; this.y = y; }
        public static Vector2 zero { get { return new Vector2(0, 0); } }
        public static Vector2 one { get { return new Vector2(1, 1); } }
    }

    public struct Color
    {
        public float r, g, b, a;
        public Color(float r, float g, float b, float a = 1f) { this.r = r; this.g = g; this.b = b; this.a = a; }
        public static Color white { get { return new Color(1, 1, 1); } }
        public static Color black { get { return new Color(0, 0, 0); } }
        public static implicit operator Color(Color32 color) { return new Color(color.r / 255f, color.g / 255f, color.b / 255f, color.a / 255f); }
    }

    public struct Color32
    {
        public byte r, g, b, a;
        public Color32(byte r, byte g, byte b, byte a) { this.r = r; this.g = g; this.b = b; this.a = a; }
    }

    public class Font : Object { }

    public static class Resources
    {
        public static T GetBuiltinResource<T>(string path) where T : Object { return null; }
    }

    public enum TextAnchor { UpperLeft, MiddleCenter, MiddleLeft }
    public enum FontStyle { Normal, Bold }
    public enum RenderMode { ScreenSpaceOverlay }

    public sealed class Canvas : Behaviour
    {
        public RenderMode renderMode;
    }

    public static class JsonUtility
    {
        public static T FromJson<T>(string json) { return default(T); }
        public static string ToJson(object value) { return ""; }
    }

    public static class Time
    {
        public static double realtimeSinceStartupAsDouble { get { return 0; } }
    }

    public static class Debug
    {
        public static void Log(object message) { }
        public static void LogWarning(object message) { }
        public static void LogError(object message) { }
    }

    public static class Mathf
    {
        public static int Clamp(int value, int min, int max) { return value; }
    }

    public static class PlayerPrefs
    {
        public static string GetString(string key, string fallback) { return fallback; }
        public static void SetString(string key, string value) { }
    }

    public sealed class AudioClip : Object
    {
        public int frequency { get { return 0; } }
        public int samples { get { return 0; } }
        public int channels { get { return 0; } }
        public bool GetData(float[] data, int offsetSamples) { return true; }
    }

    // A WebGL player has no Microphone class: code that names it outside `#if !(UNITY_WEBGL && !UNITY_EDITOR)`
    // must fail to compile here as it fails in a WebGL build.
#if !(UNITY_WEBGL && !UNITY_EDITOR)
    public sealed class Microphone
    {
        public static string[] devices { get { return new string[0]; } }
        public static AudioClip Start(string deviceName, bool loop, int lengthSec, int frequency) { return null; }
        public static void End(string deviceName) { }
        public static int GetPosition(string deviceName) { return 0; }
        public static void GetDeviceCaps(string deviceName, out int minFreq, out int maxFreq) { minFreq = 0; maxFreq = 0; }
    }
#endif

    [AttributeUsage(AttributeTargets.Class)]
    public sealed class AddComponentMenu : Attribute
    {
        public AddComponentMenu(string menuName) { }
    }

    [AttributeUsage(AttributeTargets.Field)]
    public class TooltipAttribute : Attribute
    {
        public TooltipAttribute(string tooltip) { }
    }

    [AttributeUsage(AttributeTargets.Field)]
    public class SerializeField : Attribute { }

    public class AsyncOperation
    {
        public event Action<AsyncOperation> completed;
        internal void Complete() { var handler = completed; if (handler != null) handler(this); }
    }
}

namespace UnityEngine.Scripting
{
    [AttributeUsage(AttributeTargets.All)]
    public class PreserveAttribute : Attribute { }
}

namespace UnityEngine.Networking
{
    public class DownloadHandler : IDisposable
    {
        public string text { get { return ""; } }
        public void Dispose() { }
    }

    public sealed class DownloadHandlerBuffer : DownloadHandler { }

    public class UploadHandler : IDisposable
    {
        public void Dispose() { }
    }

    public sealed class UploadHandlerRaw : UploadHandler
    {
        public UploadHandlerRaw(byte[] data) { }
    }

    public sealed class UnityWebRequestAsyncOperation : AsyncOperation { }

    public class UnityWebRequest : IDisposable
    {
        public enum Result { InProgress, Success, ConnectionError, ProtocolError, DataProcessingError }

        public UnityWebRequest(string url, string method) { }
        public DownloadHandler downloadHandler { get; set; }
        public UploadHandler uploadHandler { get; set; }
        public int timeout { get; set; }
        public long responseCode { get { return 0; } }
        public Result result { get { return Result.Success; } }
        public void SetRequestHeader(string name, string value) { }
        public string GetResponseHeader(string name) { return null; }
        public UnityWebRequestAsyncOperation SendWebRequest() { return new UnityWebRequestAsyncOperation(); }
        public static string EscapeURL(string text) { return text; }
        public void Dispose() { }
    }
}

namespace UnityEngine.Events
{
    public class UnityEvent
    {
        public void AddListener(Action call) { }
        public void RemoveAllListeners() { }
    }

    public class UnityEvent<T>
    {
        public void AddListener(Action<T> call) { }
    }
}

namespace UnityEngine.EventSystems
{
    public class EventSystem : MonoBehaviour { }
    public class StandaloneInputModule : MonoBehaviour { }
    public class PointerEventData { }
    public interface IPointerDownHandler { void OnPointerDown(PointerEventData eventData); }
    public interface IPointerUpHandler { void OnPointerUp(PointerEventData eventData); }
}

namespace UnityEngine.UI
{
    public class Graphic : MonoBehaviour
    {
        public Color color;
        public bool raycastTarget;
    }

    public class Image : Graphic { }

    public class Text : Graphic
    {
        public string text;
        public Font font;
        public int fontSize;
        public FontStyle fontStyle;
        public TextAnchor alignment;
        public bool supportRichText;
    }

    public class Selectable : MonoBehaviour
    {
        public bool interactable;
    }

    public class Button : Selectable
    {
        public class ButtonClickedEvent : UnityEngine.Events.UnityEvent { }
        public ButtonClickedEvent onClick = new ButtonClickedEvent();
    }

    public class InputField : Selectable
    {
        public string text;
        public Text textComponent;
        public Graphic placeholder;
    }

    public class CanvasScaler : MonoBehaviour
    {
        public enum ScaleMode { ConstantPixelSize, ScaleWithScreenSize }
        public ScaleMode uiScaleMode;
        public Vector2 referenceResolution;
    }

    public class GraphicRaycaster : MonoBehaviour { }

    public class LayoutGroup : MonoBehaviour
    {
        public TextAnchor childAlignment;
    }

    public class HorizontalOrVerticalLayoutGroup : LayoutGroup
    {
        public float spacing;
        public bool childControlHeight;
        public bool childControlWidth;
        public bool childForceExpandHeight;
        public bool childForceExpandWidth;
    }

    public class VerticalLayoutGroup : HorizontalOrVerticalLayoutGroup { }

    public class HorizontalLayoutGroup : HorizontalOrVerticalLayoutGroup { }

    public class LayoutElement : MonoBehaviour
    {
        public float minHeight;
        public float preferredHeight;
        public float preferredWidth;
        public float flexibleWidth;
    }

    public class ContentSizeFitter : MonoBehaviour
    {
        public enum FitMode { Unconstrained, MinSize, PreferredSize }
        public FitMode verticalFit;
    }
}

namespace AOT
{
    [AttributeUsage(AttributeTargets.Method)]
    public class MonoPInvokeCallbackAttribute : Attribute
    {
        public MonoPInvokeCallbackAttribute(Type type) { }
    }
}
