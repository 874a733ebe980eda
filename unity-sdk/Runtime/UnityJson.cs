using Koto.Live.Core;
using UnityEngine;

namespace Koto.Live
{
    /// <summary>The Core's JSON reader on Unity's JsonUtility (the models are shaped for it).</summary>
    public sealed class UnityJson : IJsonReader
    {
        public static readonly UnityJson Instance = new UnityJson();

        public T Read<T>(string json)
        {
            return JsonUtility.FromJson<T>(json);
        }
    }
}
