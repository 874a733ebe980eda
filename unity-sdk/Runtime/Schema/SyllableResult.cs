// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

namespace Koto.Schema {
	public partial class SyllableResult : global::Colyseus.Schema.Schema {
#if UNITY_5_3_OR_NEWER
		[global::UnityEngine.Scripting.Preserve]
#endif
		public SyllableResult() { }

		[global::Colyseus.Schema.Type(0, "int16")]
		public short index = 0;

		[global::Colyseus.Schema.Type(1, "string")]
		public string target = "";

		[global::Colyseus.Schema.Type(2, "string")]
		public string heard = "";

		[global::Colyseus.Schema.Type(3, "string")]
		public string verdict = "";

		[global::Colyseus.Schema.Type(4, "string")]
		public string jamo = "";
	}
}
