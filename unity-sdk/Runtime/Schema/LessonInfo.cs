// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

namespace Koto.Schema {
	public partial class LessonInfo : global::Colyseus.Schema.Schema {
#if UNITY_5_3_OR_NEWER
		[global::UnityEngine.Scripting.Preserve]
#endif
		public LessonInfo() { }

		[global::Colyseus.Schema.Type(0, "string")]
		public string id = "";

		[global::Colyseus.Schema.Type(1, "string")]
		public string pack = "";

		[global::Colyseus.Schema.Type(2, "string")]
		public string title = "";

		[global::Colyseus.Schema.Type(3, "string")]
		public string level = "";

		[global::Colyseus.Schema.Type(4, "string")]
		public string learnerLanguage = "";

		[global::Colyseus.Schema.Type(5, "boolean")]
		public bool automaticScoring = true;
	}
}
